/**
 * The nginx baseline: Debian's nginx-light (installed with apt-get when
 * missing) serving the same files with gzip_static, from its own prefix
 * directory (config, pid, error log, temp paths), on 127.0.0.1 only.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { runBounded, spawnPinned, stop, type Pinned } from "./processes.js";
import { wwwDir } from "./served-files.js";
import { httpGet } from "./http-get.js";

export const NGINX = "/usr/sbin/nginx";

/** Installs a Debian package when `binary` is missing; throws with apt's words when it cannot. */
export function ensureDebianPackage(binary: string, pkg: string): void {
  if (existsSync(binary)) return;
  console.error(`bench: ${binary} missing, installing Debian package ${pkg}`);
  const env = ["DEBIAN_FRONTEND=noninteractive"];
  let r = runBounded("env", [...env, "apt-get", "install", "-y", "-qq", pkg], 300_000);
  if (r.status !== 0) {
    runBounded("apt-get", ["update", "-qq"], 300_000);
    r = runBounded("env", [...env, "apt-get", "install", "-y", "-qq", pkg], 300_000);
  }
  if (r.status !== 0 || !existsSync(binary)) throw new Error(`could not install ${pkg}: ${r.stderr.trim().slice(-1000)}`);
}

export function nginxVersion(): string {
  return runBounded(NGINX, ["-v"], 10_000).stderr.trim().replace(/^nginx version:\s*/, "");
}

/** A port free right now on 127.0.0.1 (nginx needs a number; it is retried if taken meanwhile). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export function nginxConfig(prefix: string, root: string, port: number, cacheControl: string): string {
  const tmp = join(prefix, "tmp");
  return `# written by scripts/bench/nginx.ts
worker_processes 1;
daemon off;
pid ${join(prefix, "nginx.pid")};
error_log ${join(prefix, "error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=10000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  types {
    application/rss+xml xml;
    text/html html;
    text/css css;
  }
  charset utf-8;
  charset_types application/rss+xml text/html text/css;
  server {
    listen 127.0.0.1:${port};
    root ${wwwDir(root)};
    gzip_static on;
    gzip_vary on;
    etag on;
    add_header Cache-Control "${cacheControl}";
    location /items/ { default_type text/html; }
  }
}
`;
}

export interface RunningNginx {
  url: string;
  process: Pinned;
  stop: () => Promise<void>;
}

/** Starts nginx pinned to `cpu`, serving `root`'s www dir; resolves once it answers. */
export async function startNginx(prefix: string, root: string, cpu: number, cacheControl: string, probePath: string): Promise<RunningNginx> {
  await mkdir(join(prefix, "tmp"), { recursive: true, mode: 0o755 });
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = join(prefix, "nginx.conf");
    await writeFile(conf, nginxConfig(prefix, root, port, cacheControl));
    const p = spawnPinned(cpu, NGINX, ["-p", prefix, "-c", conf, "-e", join(prefix, "error.log")]);
    const url = `http://127.0.0.1:${port}`;
    const deadline = performance.now() + 10_000;
    while (performance.now() < deadline && p.child.exitCode === null) {
      try {
        const r = await httpGet(`${url}${probePath}`, {}, 1000);
        if (r.status === 200) return { url, process: p, stop: () => stop(p) };
        lastError = new Error(`nginx answered ${r.status} for ${probePath}`);
        break;
      } catch (error) {
        lastError = error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await stop(p);
    lastError = new Error(`nginx did not start: ${String(lastError)}\n${p.output().slice(-1000)}`);
  }
  throw lastError;
}
