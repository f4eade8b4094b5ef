import type { ContentCoding } from "./negotiate.js";

/** Compresses bytes; injected by the runtime (node:zlib on Node, none on the Worker where the edge compresses). */
export type Compressor = (coding: Exclude<ContentCoding, "identity">, bytes: Uint8Array) => Promise<Uint8Array<ArrayBuffer>>;

export interface Rendered {
  contentType: string;
  body: string | Bytes;
  lastModified?: Date;
}

export type Bytes = Uint8Array<ArrayBuffer>;

export interface Variant {
  coding: ContentCoding;
  body: Bytes;
  etag: string;
}

const encoder = new TextEncoder();
/** Below this, compression costs more than it saves. */
const MIN_COMPRESS_BYTES = 256;
/** Objects, ETags and worked-out headers around the bodies, counted per representation (a rough upper figure). */
const REPRESENTATION_OVERHEAD = 4096;

async function strongEtag(bytes: Bytes): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let binary = "";
  for (const b of digest.subarray(0, 18)) binary += String.fromCharCode(b);
  return `"${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_")}"`;
}

/**
 * One resource's bytes, rendered once per content version, with a strong
 * ETag over the exact bytes. Compressed variants are made once, on first
 * demand, and carry their own ETag (different bytes, different tag).
 */
export class Representation {
  private readonly variants = new Map<ContentCoding, Promise<Variant>>();
  /** Variants already made, for callers that must not wait (the Node fast path). */
  private readonly made = new Map<ContentCoding, Variant>();

  /** Last-Modified as an HTTP-date, formatted once. */
  readonly httpLastModified: string | undefined;

  private constructor(
    readonly contentType: string,
    readonly lastModified: Date | undefined,
    readonly identity: Variant,
    private readonly compress: Compressor | undefined,
  ) {
    this.variants.set("identity", Promise.resolve(identity));
    this.made.set("identity", identity);
    this.httpLastModified = lastModified?.toUTCString();
  }

  /** The variant if it has been made already; undefined otherwise (then `variant()` makes it). */
  madeVariant(coding: ContentCoding): Variant | undefined {
    return this.made.get(coding);
  }

  static async create(rendered: Rendered, compress?: Compressor): Promise<Representation> {
    const body = typeof rendered.body === "string" ? encoder.encode(rendered.body) : rendered.body;
    const identity: Variant = { coding: "identity", body, etag: await strongEtag(body) };
    return new Representation(rendered.contentType, rendered.lastModified, identity, compress);
  }

  /** Codings worth offering for this body, best first (computed once: it is read on every request). */
  get codings(): readonly ContentCoding[] {
    return (this.offered ??= this.compress && this.identity.body.length >= MIN_COMPRESS_BYTES ? ["br", "gzip", "identity"] : ["identity"]);
  }

  private offered: readonly ContentCoding[] | undefined;

  /** Response headers already worked out, by whatever decides them (the Node fast path's key). */
  readonly answered = new Map<string, Record<string, string>>();

  /** Called when a variant is added (the representation grew): a byte-bounded cache re-weighs it. */
  onGrow: (() => void) | undefined;

  /**
   * Bytes this representation keeps alive: every variant's body, plus a
   * fixed allowance for the objects and headers around them.
   */
  get bytes(): number {
    let total = REPRESENTATION_OVERHEAD;
    for (const v of this.made.values()) total += v.body.byteLength;
    return total;
  }

  variant(coding: ContentCoding): Promise<Variant> {
    let hit = this.variants.get(coding);
    if (!hit) {
      const compress = this.compress!;
      const suffix = coding === "br" ? "br" : "gz";
      hit = compress(coding as "br" | "gzip", this.identity.body).then((body) => {
        const made: Variant = { coding, body, etag: `${this.identity.etag.slice(0, -1)}-${suffix}"` };
        this.made.set(coding, made);
        this.onGrow?.();
        return made;
      });
      // A failed compression is not cached: the next request tries again.
      hit.catch(() => this.variants.delete(coding));
      this.variants.set(coding, hit);
    }
    return hit;
  }
}
