/** scripts/worker-local.ts: one port setting for the Worker scripts (dev:worker). */
import { describe, expect, it } from "vitest";
import { localWorker, PortSettingError, wranglerDevArgs } from "../../scripts/worker-local.js";

describe("localWorker", () => {
  it("defaults to 8787 and a SITE_URL on it", () => {
    expect(localWorker({}, [])).toEqual({ port: 8787, siteUrl: "http://127.0.0.1:8787/", rest: [] });
  });

  it("PORT sets the port and the URL; --port N or --port=N wins and is taken out of what wrangler gets", () => {
    expect(localWorker({ PORT: "41500" }, [])).toMatchObject({ port: 41500, siteUrl: "http://127.0.0.1:41500/" });
    expect(localWorker({ PORT: "41500" }, ["--port", "41501", "--log-level", "warn"])).toEqual({
      port: 41501,
      siteUrl: "http://127.0.0.1:41501/",
      rest: ["--log-level", "warn"],
    });
    expect(localWorker({}, ["--port=41502"])).toMatchObject({ port: 41502, rest: [] });
  });

  it("a SITE_URL that is set is kept whatever the port", () => {
    expect(localWorker({ PORT: "41500", SITE_URL: "https://news.example/" }, [])).toMatchObject({ port: 41500, siteUrl: "https://news.example/" });
  });

  it("refuses what is not a port, naming where it came from", () => {
    expect(() => localWorker({ PORT: "80a" }, [])).toThrow(new PortSettingError("PORT", "80a"));
    expect(() => localWorker({}, ["--port", "0"])).toThrow(/^--port: "0" is not a port/);
    expect(() => localWorker({}, ["--port", "65536"])).toThrow(PortSettingError);
    expect(() => localWorker({}, ["--port"])).toThrow(PortSettingError);
  });

  it("wrangler dev gets the port once, and SITE_URL as a var", () => {
    const args = wranglerDevArgs("", localWorker({}, ["--port", "41503"]));
    expect(args).toEqual(["dev", "--env=", "--ip", "127.0.0.1", "--port", "41503", "--var", "SITE_URL:http://127.0.0.1:41503/"]);
    expect(args.filter((a) => a === "--port")).toHaveLength(1);
    expect(wranglerDevArgs("", localWorker({}, []))).toContain("--env=");
  });
});
