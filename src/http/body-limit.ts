/**
 * Reads a request body with a byte limit, for the write API (PUT/DELETE
 * /api/items/<slug>): nothing is parsed until the whole body is known to be
 * within the limit, and an oversized body is never buffered past it.
 */

export type LimitedBody =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; response: Response };

function refuse(status: 400 | 413, message: string): { ok: false; response: Response } {
  return {
    ok: false,
    // JSON, as every other answer of the write API.
    response: new Response(`${JSON.stringify({ error: message })}\n`, {
      status,
      // The client should not retry the same body; and a 413 may close the connection mid-upload.
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", Connection: "close" },
    }),
  };
}

/**
 * The body's bytes when it has at most `limit` bytes; otherwise a 413 (or 400
 * for a malformed Content-Length). Content-Length is checked first, so a
 * declared oversize body is refused without reading any of it; the stream is
 * then read chunk by chunk and cancelled as soon as it passes the limit,
 * whatever Content-Length said (or when there is none: chunked uploads).
 */
export async function readLimitedBody(request: Request, limit: number): Promise<LimitedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    if (!/^\d{1,16}$/.test(declared.trim())) return refuse(400, "Bad Request: malformed Content-Length");
    if (Number(declared) > limit) return refuse(413, `Content Too Large: the limit is ${limit} bytes`);
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel("body over the limit").catch(() => {});
      return refuse(413, `Content Too Large: the limit is ${limit} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
