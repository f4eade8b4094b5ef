/**
 * WebSub publisher side: tells the hub that topics (feed URLs) changed, so it
 * fetches them and pushes to subscribers. Fire and forget: a publish never
 * waits for the hub; failures are retried with exponential backoff, then logged.
 */
export interface WebSubOptions {
  hub: string;
  fetch?: typeof fetch;
  log?: (message: string) => void;
  /** Attempts per topic, the first included. */
  attempts?: number;
  /** Delay before the first retry; doubles each time. */
  baseDelayMs?: number;
}

export interface WebSubNotifier {
  notify(topics: readonly string[]): void;
  /** Resolves when every notification so far has succeeded or given up (tests, shutdown). */
  idle(): Promise<void>;
}

export function websubNotifier(options: WebSubOptions): WebSubNotifier {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 5;
  const baseDelay = options.baseDelayMs ?? 1000;
  const log = options.log ?? ((m: string) => console.error(m));
  const pending = new Set<Promise<void>>();

  const ping = async (topic: string) => {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await doFetch(options.hub, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ "hub.mode": "publish", "hub.url": topic }).toString(),
        });
        await res.body?.cancel();
        if (res.ok) return;
        if (attempt === attempts) log(`websub: hub answered ${res.status} for ${topic}; gave up after ${attempts} attempts`);
      } catch (error) {
        if (attempt === attempts) log(`websub: hub unreachable for ${topic} (${(error as Error).message}); gave up after ${attempts} attempts`);
      }
      // A retry waiting for its turn does not keep a stopping process alive (timers may lack unref off Node).
      if (attempt < attempts) await new Promise((r) => (setTimeout(r, baseDelay * 2 ** (attempt - 1)) as { unref?: () => void }).unref?.());
    }
  };

  return {
    notify(topics) {
      for (const topic of new Set(topics)) {
        const p = ping(topic).finally(() => pending.delete(p));
        pending.add(p);
      }
    },
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
