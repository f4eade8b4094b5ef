#!/usr/bin/env node
// The `wirefeed` command: the compiled CLI (dist/, `npm run build`; a packed
// or installed wirefeed always has it), so a command starts in plain Node
// without compiling TypeScript first.
try {
  await import("../dist/cli/main.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli/main.js")) {
    process.stderr.write("wirefeed: dist/ is missing; run `npm run build` in this checkout first\n");
    process.exit(1);
  }
  throw error;
}
