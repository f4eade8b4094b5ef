import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { readLimitedBody } from "../../src/http/body-limit.js";

/** A body stream of `chunks` chunks of `size` bytes that counts how many were pulled and whether it was cancelled. */
function countingStream(chunks: number, size: number) {
  const stats = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stats.pulled === chunks) return controller.close();
      stats.pulled++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
    cancel() {
      stats.cancelled = true;
    },
    // No read-ahead: a chunk is pulled only when the reader asks for it.
  }, { highWaterMark: 0 });
  return { stream, stats };
}

const put = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("https://news.example/api/items/x", { method: "PUT", body, headers, duplex: "half" } as RequestInit);

describe("readLimitedBody", () => {
  it("a declared Content-Length over the limit: 413 before reading a byte", async () => {
    const { stream, stats } = countingStream(100, 1024);
    const result = await readLimitedBody(put(stream, { "Content-Length": "102400" }), 1000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(413);
    expect(result.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await result.response.json()).toEqual({ error: "Content Too Large: the limit is 1000 bytes" });
    expect(stats.pulled).toBe(0);
  });

  it("no Content-Length (chunked): reading stops and the stream is cancelled once past the limit", async () => {
    const { stream, stats } = countingStream(1000, 1024);
    const result = await readLimitedBody(put(stream), 10 * 1024);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.response.status).toBe(413);
    expect(stats.pulled).toBeLessThanOrEqual(12);
    expect(stats.cancelled).toBe(true);
  });

  it("a Content-Length that understates the body does not get past the limit", async () => {
    const { stream, stats } = countingStream(1000, 1024);
    const result = await readLimitedBody(put(stream, { "Content-Length": "10" }), 4096);
    expect(result.ok).toBe(false);
    expect(stats.pulled).toBeLessThanOrEqual(6);
  });

  it("a body of exactly the limit, and an empty body, are read whole", async () => {
    const exact = await readLimitedBody(put("x".repeat(4096)), 4096);
    expect(exact.ok && exact.bytes.length).toBe(4096);
    const chunked = countingStream(4, 1024);
    const streamed = await readLimitedBody(put(chunked.stream), 4096);
    expect(streamed.ok && new TextDecoder().decode(streamed.bytes)).toBe("a".repeat(4096));
    const empty = await readLimitedBody(put(null), 10);
    expect(empty.ok && empty.bytes.length).toBe(0);
  });

  it.each(["-1", "12abc", "1e3", "", "99999999999999999999"])("Content-Length %j: 400", async (value) => {
    const result = await readLimitedBody(put("abc", { "Content-Length": value }), 100);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.response.status).toBe(400);
  });

  it("in a route: the handler sees the body only when it is within the limit", async () => {
    const app = new Hono();
    const seen: number[] = [];
    app.put("/api/items/:slug", async (c) => {
      const body = await readLimitedBody(c.req.raw, 1024);
      if (!body.ok) return body.response;
      seen.push(body.bytes.length);
      return c.body(null, 204);
    });
    expect((await app.request("/api/items/a", { method: "PUT", body: "x".repeat(1024) })).status).toBe(204);
    expect((await app.request("/api/items/a", { method: "PUT", body: "x".repeat(1025) })).status).toBe(413);
    expect(seen).toEqual([1024]);
  });
});
