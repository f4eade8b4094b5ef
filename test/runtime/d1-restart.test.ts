/**
 * The D1 Worker's concurrency must-show, then a restart: the real bundle
 * (`wrangler deploy --dry-run --env=d1`) in workerd by Miniflare over a
 * local D1 that `d1:load` made, taking the storm over a socket; then that
 * Miniflare disposed and a new one started over the same persisted D1
 * directory (the database is all a D1 Worker keeps: a new isolate, a new
 * process) serves every acknowledged write.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, expect, test } from "vitest";
import { expectStormServed, publishStorm } from "../support/publish-storm.js";
import { buildWorkerBundle, startWorker } from "../support/servers.js";

const SITE_URL = "https://wire.example/";
const TOKEN = "d1-restart-token";
const tmp = mkdtempSync(join(tmpdir(), "wirefeed-d1-restart-"));
const started: Miniflare[] = [];
afterAll(async () => {
  for (const mf of started) await mf.dispose().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
});

async function startD1() {
  const worker = await startWorker(join(tmp, "bundle", "worker-d1.js"), { bindings: { SITE_URL, PUBLISH_TOKEN: TOKEN }, d1PersistRoot: join(tmp, "state", "v3") });
  started.push(worker.mf);
  return worker;
}

test("D1 Worker: the publish storm over a socket, every acknowledged write served, and the same after a restart over the persisted database", async () => {
  const items = join(tmp, "items");
  mkdirSync(items);
  const build = buildWorkerBundle("d1", join(tmp, "bundle"), { ITEMS_DIR: items });
  expect(build.status, build.output).toBe(0);
  // An empty folder: the schema and a version, no articles.
  const load = spawnSync(process.execPath, ["--import", "tsx", "scripts/d1-load.ts", "--local", "--persist-to", join(tmp, "state")], { env: { ...process.env, SITE_URL, ITEMS_DIR: items }, encoding: "utf8" });
  expect(load.status, `${load.stdout}${load.stderr}`).toBe(0);
  let worker = await startD1();
  const outcome = await publishStorm(worker.base, TOKEN);
  await expectStormServed(worker.base, TOKEN, outcome);
  await worker.mf.dispose();
  worker = await startD1();
  await expectStormServed(worker.base, TOKEN, outcome);
}, 240_000);
