#!/usr/bin/env node
// The `wirefeed` command. The CLI is TypeScript (src/cli/); tsx's loader runs
// it as it is, the way `npm start` runs the server: no build step, so the
// command can never be a stale compile of the source beside it.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
