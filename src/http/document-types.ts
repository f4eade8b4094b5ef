/**
 * The agency documents the publish API takes, by media type, and what
 * reading one gives (the reader itself is publish-documents.ts: a runtime
 * passes it in, so an app without it bundles no ingest code).
 *
 * NewsML-G2's types are registered with IANA by the IPTC:
 * application/vnd.iptc.g2.newsitem+xml and, for a message carrying one item,
 * application/vnd.iptc.g2.newsmessage+xml. ninjs has none registered, and
 * IPTC's ninjs documentation names none for the document itself; the
 * application/ninjs+json that systems exchanging ninjs use is accepted.
 * (application/json stays the API's own JSON: the record's fields.)
 */
import type { SiteConfig } from "../core/config.js";

export const NINJS_TYPE = "application/ninjs+json";
export const NEWSITEM_TYPE = "application/vnd.iptc.g2.newsitem+xml";
export const NEWSMESSAGE_TYPE = "application/vnd.iptc.g2.newsmessage+xml";

export type DocumentFormat = "ninjs" | "NewsML-G2";
const FORMATS: Record<string, DocumentFormat> = { [NINJS_TYPE]: "ninjs", [NEWSITEM_TYPE]: "NewsML-G2", [NEWSMESSAGE_TYPE]: "NewsML-G2" };

/** The media types a document may be sent as, for Accept-Post and 415 answers. */
export const DOCUMENT_TYPES = Object.keys(FORMATS);

/** A document's Content-Type: its format, or undefined when it is not one of DOCUMENT_TYPES. */
export function documentFormat(contentType: string | undefined): DocumentFormat | undefined {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return FORMATS[type];
}

/** A problem as the API answers it: an HTTP status and a JSON body. */
export interface Refusal {
  status: 400 | 415 | 422;
  body: Record<string, unknown>;
}

export type DocumentAction =
  /** Write the record: `bytes(slug)` (the body's links are resolved against the article's URL, so the slug is given). */
  | { kind: "write"; format: DocumentFormat; slug: string; notes: string[]; bytes: (slug: string) => Uint8Array | Refusal }
  /** Withdraw the article at `slug`, leaving `reason`; `id`: the document's, when it gives one. */
  | { kind: "kill"; format: DocumentFormat; slug: string; reason: string; id?: string }
  | { kind: "refused"; refusal: Refusal };

/**
 * Reads a document body sent as `contentType` (one of DOCUMENT_TYPES).
 * `slug`: the article it is for (PUT /api/items/<slug>); without one (POST)
 * the document names its own (its slugline, else its headline).
 */
export type DocumentReader = (contentType: string, body: Uint8Array, site: SiteConfig, now: Date, slug?: string) => DocumentAction;
