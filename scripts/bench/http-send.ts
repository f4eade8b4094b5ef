/** One raw HTTP request with a body (PUT, DELETE) over node:http, for the publish API. */
import { request } from "node:http";
import type { RawResponse } from "./http-get.js";

export function httpSend(method: string, url: string, headers: Record<string, string>, body?: Uint8Array | string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
