import type { Context, MiddlewareHandler } from "hono";
import type { Politeness } from "../core/config.js";
import { FEED_FILES } from "../core/feed-model.js";
import { mountedPath } from "./mount-path.js";

/** Who is asking. The runtime knows (on Node: the socket's peer address; behind a proxy that is the proxy). */
export type ClientKey = (c: Context) => string | undefined;

/**
 * When each client last polled each feed unconditionally, in a Map used as
 * an LRU: at most `capacity` entries, the least recently seen dropped first.
 * A flood of distinct clients therefore costs bounded memory; a client that
 * was dropped is simply served again (fail open).
 */
export class PollTracker {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.last.size;
  }

  /** Seconds the client should wait, or undefined when this poll is allowed (and then recorded). */
  check(key: string, now: number): number | undefined {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) {
      // Not recorded: the wait counts from the last poll that was served, so Retry-After holds.
      return Math.max(1, Math.ceil((previous + this.intervalMs - now) / 1000));
    }
    this.last.delete(key);
    this.last.set(key, now);
    while (this.last.size > this.capacity) this.last.delete(this.last.keys().next().value!);
    return undefined;
  }
}

export const FEED_PATHS = new Set(Object.values(FEED_FILES).map((file) => `/${file}`));

/**
 * 429 with Retry-After for a client that polls the same feed again within
 * the interval without a conditional header. Conditional polls cost us a
 * 304 and are never refused; pages are never limited. Only GET is a poll: a
 * HEAD carries no body (it is how a client checks a feed before fetching it),
 * so it is neither refused nor counted, and the GET after it is served.
 */
export function politeness(config: Politeness, clientKey: ClientKey, now: () => number = Date.now): MiddlewareHandler & { tracker: PollTracker } {
  const tracker = new PollTracker(config.minIntervalSeconds * 1000, config.trackedClients);
  const handler: MiddlewareHandler = async (c, next) => {
    const method = c.req.method;
    // The path within the site, wherever the host mounted it.
    const path = mountedPath(c);
    if (method !== "GET" || !FEED_PATHS.has(path)) return next();
    if (c.req.header("if-none-match") !== undefined || c.req.header("if-modified-since") !== undefined) return next();
    const client = clientKey(c);
    if (client === undefined) return next();
    const wait = tracker.check(`${client} ${path}`, now());
    if (wait === undefined) return next();
    return new Response(`Too Many Requests: poll this feed at most every ${config.minIntervalSeconds} s, or send If-None-Match / If-Modified-Since\n`, {
      status: 429,
      headers: { "Retry-After": String(wait), "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  };
  return Object.assign(handler, { tracker });
}
