/**
 * The local Worker's address, one setting for every Worker script: `PORT`
 * (default 8787, wrangler's own) or `--port N` / `--port=N` on the command
 * line, which wins. `SITE_URL`, when set, is used as is; otherwise it is
 * http://127.0.0.1:PORT/, so links follow the port the Worker listens on.
 */

export const DEFAULT_WORKER_PORT = 8787;

/** A PORT or --port that is not a TCP port; names where it came from. */
export class PortSettingError extends Error {
  constructor(source: string, value: string) {
    super(`${source}: ${JSON.stringify(value)} is not a port (a whole number from 1 to 65535)`);
    this.name = "PortSettingError";
  }
}

export interface LocalWorker {
  port: number;
  siteUrl: string;
  /** The arguments left once --port is taken out, for wrangler. */
  rest: string[];
}

function parsePort(source: string, value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new PortSettingError(source, value);
  return port;
}

export function localWorker(env: { PORT?: string; SITE_URL?: string }, args: readonly string[]): LocalWorker {
  let port = env.PORT ? parsePort("PORT", env.PORT) : DEFAULT_WORKER_PORT;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--port") {
      const value = args[++i];
      if (value === undefined) throw new PortSettingError("--port", "");
      port = parsePort("--port", value);
    } else if (arg.startsWith("--port=")) port = parsePort("--port", arg.slice("--port=".length));
    else rest.push(arg);
  }
  return { port, siteUrl: env.SITE_URL || `http://127.0.0.1:${port}/`, rest };
}

/** `wrangler dev` for the bundled Worker (environment ""), on the port and URL above. */
export function wranglerDevArgs(environment: "", worker: LocalWorker): string[] {
  return ["dev", `--env=${environment}`, "--ip", "127.0.0.1", "--port", String(worker.port), "--var", `SITE_URL:${worker.siteUrl}`, ...worker.rest];
}
