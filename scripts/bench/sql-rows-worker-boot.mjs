// Starts sql-rows-worker.ts under tsx however the bench was started (`tsx file` does not hand its loader to worker threads).
import { register } from "tsx/esm/api";

register();
await import("./sql-rows-worker.ts");
