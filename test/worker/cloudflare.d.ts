/**
 * The parts of workerd's test modules these tests use, typed against the DOM
 * lib the whole project is checked with. (@cloudflare/workers-types declares
 * the same globals differently, e.g. TextEncoder.encode's buffer type, so it
 * cannot check src/ alongside the DOM lib.)
 */
declare module "cloudflare:workers" {
  /** wrangler.toml's top-level bindings plus vitest.worker.config.ts's. */
  export const env: {
    SITE_URL: string;
  };
  /** Loopback bindings to the main module (src/runtime/worker.ts). */
  export const exports: { default: { fetch(input: string | Request, init?: RequestInit): Promise<Response> } };
}

declare module "cloudflare:test" {
  export interface TestExecutionContext {
    waitUntil(promise: Promise<unknown>): void;
    passThroughOnException(): void;
  }
  export function createExecutionContext(): TestExecutionContext;
  /** Waits for every promise passed to the context's waitUntil. */
  export function waitOnExecutionContext(ctx: TestExecutionContext): Promise<void>;
}
