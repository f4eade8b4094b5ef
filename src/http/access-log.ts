/**
 * The access log: one line per request, in the Combined Log Format that log
 * tools read (client, time, request line, status, bytes, Referer,
 * User-Agent), followed by the time taken to answer in milliseconds.
 * Runtime-free: the runtime measures the request and passes the entry; the
 * clock and the line's destination are injected.
 *
 *   127.0.0.1 - - [01/Dec/2026:18:30:00 +0000] "GET /rss.xml HTTP/1.1" 200 5123 "-" "curl/8.5.0" 0.4ms
 */

export interface AccessEntry {
  /** The peer address, or undefined when the runtime cannot tell. */
  client: string | undefined;
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  /** "1.1", "1.0", "2.0". */
  httpVersion: string;
  status: number;
  /** Body bytes sent; undefined when none were (a 304, a HEAD). */
  bytes: number | undefined;
  referer: string | undefined;
  userAgent: string | undefined;
  /** When the request arrived, in milliseconds since the epoch. */
  started: number;
  durationMs: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

let cachedSecond = NaN;
let cachedTime = "";

/** day/Mon/year:HH:MM:SS +0000, always UTC so lines sort and compare across hosts; worked out once per second. */
function clfTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedTime = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    cachedSecond = second;
  }
  return cachedTime;
}

/**
 * Quoted, with what a client sends kept from forging lines or fields: quotes
 * and backslashes escaped, control characters and non-ASCII as \xHH (bytes as
 * they came, latin1, as Node hands header values over).
 */
const NEEDS_ESCAPE = /["\\]|[^\x20-\x7e]/;

function quoted(value: string | undefined): string {
  if (value === undefined || value === "") return '"-"';
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  return `"${value.replace(/["\\]|[^\x20-\x7e]/g, (ch) => (ch === '"' || ch === "\\" ? `\\${ch}` : `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`))}"`;
}

const safeToken = (value: string) => value.replace(/[^\x21-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);

export function formatAccess(e: AccessEntry): string {
  const request = quoted(`${e.method} ${e.target} HTTP/${e.httpVersion}`);
  return `${e.client ? safeToken(e.client) : "-"} - - [${clfTime(e.started)}] ${request} ${e.status} ${e.bytes === undefined ? "-" : e.bytes} ${quoted(e.referer)} ${quoted(e.userAgent)} ${e.durationMs.toFixed(1)}ms`;
}

/** ACCESS_LOG: on unless "off", "0", "false" or "no" (any case). */
export function accessLogEnabled(setting: string | undefined): boolean {
  return !/^(off|0|false|no)$/i.test((setting ?? "").trim());
}
