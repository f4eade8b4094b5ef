// Starts the parse worker (parse-worker.ts) under tsx whichever way the main thread was started
// (`tsx file` does not hand its loader to worker threads; `node --import tsx` does, and registering twice is harmless).
import { register } from "tsx/esm/api";

register();
await import("./parse-worker.ts");
