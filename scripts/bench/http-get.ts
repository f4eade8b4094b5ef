/**
 * One raw GET over node:http: the body exactly as sent (never decompressed,
 * unlike fetch), for taking the publisher's bytes and checking each server.
 */
import { createHash } from "node:crypto";
import { httpSend } from "./http-send.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function httpGet(url: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<RawResponse> {
  return httpSend("GET", url, headers, undefined, timeoutMs);
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
