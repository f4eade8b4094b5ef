/**
 * Graceful shutdown on SIGTERM, with real child processes: requests in
 * flight finish whole, new connections are refused, idle keep-alive
 * connections are closed, the process exits 0; a request that outlives the
 * timeout is cut and the exit code is 1.
 */
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpGet, startServer, type RunningServer } from "../support/server.js";
import { copySamples } from "../support/sample-items.js";

const SLOW_ENTRY = "test/runtime/slow-entry.ts";
const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  }
});

async function start(env: Record<string, string>, entry?: string) {
  const server = await startServer(env, entry);
  running.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true when a TCP connection to the port is accepted, false when refused. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("graceful shutdown", () => {
  it("a request in flight at SIGTERM completes with 200 and its full body; new connections are refused; exit 0", async () => {
    const server = await start({ SLOW_MS: "1500" }, SLOW_ENTRY);
    const started = Date.now();
    const inFlight = httpGet(server.base, "/items/slow");
    await sleep(300);
    server.child.kill("SIGTERM");
    // Refused within a moment of the signal, while the slow request (1.5 s) is still in flight.
    let refusedAt = 0;
    for (let tries = 0; tries < 20 && !refusedAt; tries++) {
      if (!(await accepts(server.port))) refusedAt = Date.now();
      else await sleep(50);
    }
    expect(refusedAt).toBeGreaterThan(0);
    expect(refusedAt - started).toBeLessThan(1500);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.body.length).toBeGreaterThan(300_000);
    expect(res.body.toString().trimEnd().endsWith("</html>")).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain("wirefeed: SIGTERM: no new connections");
    expect(server.stdout()).toContain("wirefeed: stopped");
  });

  it("several requests in flight all finish", async () => {
    const server = await start({ SLOW_MS: "1000" }, SLOW_ENTRY);
    const all = Promise.all(Array.from({ length: 5 }, () => httpGet(server.base, "/items/slow")));
    await sleep(200);
    server.child.kill("SIGTERM");
    const results = await all;
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.length)).size).toBe(1);
    expect(await server.exited).toBe(0);
  });

  it("an idle keep-alive connection does not hold the process: it exits 0 at once", async () => {
    const server = await start({ ITEMS_DIR: copySamples() });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const res = await new Promise<number>((resolve, reject) => {
      request(`${server.base}/rss.xml`, { agent }, (r) => {
        r.resume();
        r.on("end", () => resolve(r.statusCode!));
      })
        .on("error", reject)
        .end();
    });
    expect(res).toBe(200);
    const stoppedAt = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    // Not held open until the 5 s keep-alive timeout (generous bound for a loaded machine).
    expect(Date.now() - stoppedAt).toBeLessThan(3000);
    agent.destroy();
  });

  it("a keep-alive connection busy at SIGTERM is closed as soon as its response is done", async () => {
    const server = await start({ SLOW_MS: "1000" }, SLOW_ENTRY);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const response = new Promise<{ status: number; at: number }>((resolve, reject) => {
      request(`${server.base}/items/slow`, { agent }, (r) => {
        r.resume();
        r.on("end", () => resolve({ status: r.statusCode!, at: Date.now() }));
      })
        .on("error", reject)
        .end();
    });
    await sleep(200);
    server.child.kill("SIGTERM");
    const { status, at } = await response;
    expect(status).toBe(200);
    expect(await server.exited).toBe(0);
    // Not held open until the 5 s keep-alive timeout (without the idle sweep it takes ~6 s here).
    expect(Date.now() - at).toBeLessThan(3000);
    agent.destroy();
  });

  it("past SHUTDOWN_TIMEOUT_MS the remaining connections are cut and the exit code is 1", async () => {
    const server = await start({ SLOW_MS: "5000", SHUTDOWN_TIMEOUT_MS: "500" }, SLOW_ENTRY);
    const inFlight = httpGet(server.base, "/items/slow").then(
      () => "completed",
      () => "cut",
    );
    await sleep(200);
    const stoppedAt = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(1);
    // Well before the 5 s the request would take.
    expect(Date.now() - stoppedAt).toBeLessThan(3500);
    expect(await inFlight).toBe("cut");
    expect(server.stdout()).toContain("cutting the remaining connections");
  });
});
