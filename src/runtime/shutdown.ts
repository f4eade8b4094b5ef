import type { ServerType } from "@hono/node-server";

export interface ShutdownOptions {
  /** After this long, connections still open are cut and the process exits 1. */
  timeoutMs: number;
  log: (message: string) => void;
  signals?: readonly NodeJS.Signals[];
  /** Called when stopping starts: release what would keep the process alive (the items/ watcher). */
  onStop?: () => void;
}

/**
 * Graceful stop on SIGTERM/SIGINT: stop accepting connections, let every
 * request in flight finish (its response written whole), close keep-alive
 * connections as soon as they are idle, then let the process end by itself
 * (exit code 0) once nothing is left: no process.exit, so no pending write
 * (a response, a log line on a pipe) is cut. Past the timeout the remaining
 * connections are destroyed and the process exits 1 (a supervisor can tell).
 */
export function gracefulShutdown(server: ServerType, options: ShutdownOptions): void {
  const http = server as import("node:http").Server;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.log(`wirefeed: ${signal}: no new connections; finishing requests in flight`);
    options.onStop?.();
    http.close(() => options.log("wirefeed: stopped"));
    // close() closes the connections idle now; ones in flight turn idle after their response.
    http.closeIdleConnections();
    const sweep = setInterval(() => http.closeIdleConnections(), 100);
    sweep.unref();
    const deadline = setTimeout(() => {
      options.log(`wirefeed: still busy after ${options.timeoutMs} ms; cutting the remaining connections`);
      process.exitCode = 1;
      http.closeAllConnections();
      // Work still pending (a slow store read) must not keep a stopping process alive either.
      setTimeout(() => process.exit(1), 200).unref();
    }, options.timeoutMs);
    deadline.unref();
  };
  for (const signal of options.signals ?? ["SIGTERM", "SIGINT"]) process.on(signal, () => stop(signal));
}
