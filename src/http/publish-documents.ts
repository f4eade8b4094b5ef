/**
 * The publish API's agency documents: an IPTC ninjs or NewsML-G2 body, told
 * by its Content-Type, read by the mapping `wirefeed import` uses
 * (ingest/story-record.ts), and turned into what the API does with it:
 * write a record, or withdraw one (a canceled story), or the answer that
 * says why neither.
 *
 * The media types are in document-types.ts. Runtimes hand this reader to
 * the API (PublishApiOptions.documents): a Worker without it bundles no XML
 * parser.
 */
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import { slugProblem } from "../core/slug.js";
import { decodeDocument } from "../ingest/document.js";
import { documentSlug, planBody, planRecordText, slugSource, structuredOutcome } from "../ingest/story-record.js";
import { documentFormat, type DocumentAction, type DocumentReader, type Refusal } from "./document-types.js";

/** Where messages say the problem is: the request body, not a file. */
const LABEL = "(document)";

/** The kill reason a canceled document leaves (its edNote is for the receiving editors, not for readers). */
export const CANCELED_REASON = "Withdrawn: the agency canceled this story.";

const refused = (status: Refusal["status"], body: Record<string, unknown>): DocumentAction => ({ kind: "refused", refusal: { status, body } });

const fieldError = (error: RecordError) => ({ field: error.field, ...(error.line ? { line: error.line } : {}), message: error.problem });

/** `charset` of a Content-Type, unquoted and lower-cased, or undefined. */
function charsetOf(contentType: string): string | undefined {
  const param = contentType.toLowerCase().split(";").slice(1).map((p) => p.trim()).find((p) => p.startsWith("charset="));
  return param?.slice(8).replace(/^"|"$/g, "");
}

/** The encoding an XML declaration names, if any ("<?xml version="1.0" encoding="ISO-8859-1"?>"). */
function declaredEncoding(text: string): string | undefined {
  return /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1]?.toLowerCase();
}

/** import's notes as the API's answer gives them: "line 9: field: …" (the body is the only document), without "read as" (`format` says it). */
function answerNotes(notes: readonly string[]): string[] {
  const prefix = `import: ${LABEL}`;
  return notes
    .filter((note) => note !== `${prefix}: read as ninjs` && note !== `${prefix}: read as NewsML-G2`)
    .map((note) => (note.startsWith(prefix) ? note.slice(prefix.length).replace(/^(?::(\d+))?: /, (_, line?: string) => (line ? `line ${line}: ` : "")) : note));
}

const isUtf8 = (name: string) => name === "utf-8" || name === "utf8";

/**
 * Reads a document body sent as `contentType` (one of DOCUMENT_TYPES).
 * `slug`: the article it is for (PUT /api/items/<slug>); without one (POST)
 * the document names its own (documentSlug: slugline, else headline).
 */
export const readDocument: DocumentReader = (contentType: string, body: Uint8Array, site: SiteConfig, now: Date, slug?: string): DocumentAction => {
  const format = documentFormat(contentType)!;
  const charset = charsetOf(contentType);
  if (charset !== undefined && !isUtf8(charset)) return refused(415, { error: `charset "${charset}": send UTF-8` });
  let text: string;
  try {
    text = decodeDocument(LABEL, body);
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return refused(400, { error: `the document ${error.problem}` });
  }
  const encoding = format === "NewsML-G2" ? declaredEncoding(text) : undefined;
  if (encoding !== undefined && !isUtf8(encoding)) return refused(415, { error: `the XML declaration names encoding "${encoding}": send UTF-8` });

  const outcome = structuredOutcome(LABEL, format, text, site, now);
  if (outcome.kind === "refused") return refused(422, { errors: [fieldError(outcome.error)] });
  const target = slug ?? documentSlug(outcome.kind === "kill" ? slugSource(outcome.story) : outcome.plan);
  const badSlug = slugProblem(target);
  if (badSlug) return refused(422, { errors: [{ field: "slug", message: `${badSlug} (made from the document; PUT it to /api/items/<slug> to choose one)` }] });
  if (outcome.kind === "kill") return { kind: "kill", format, slug: target, reason: CANCELED_REASON, ...(outcome.story.id ? { id: outcome.story.id } : {}) };

  const plan = outcome.plan;
  return {
    kind: "write",
    format,
    slug: target,
    notes: answerNotes(plan.notes),
    bytes: (at) => {
      const markdown = planBody(plan, new URL(`items/${at}`, site.baseUrl).href);
      if (markdown instanceof RecordError) return { status: 422, body: { errors: [fieldError(markdown)] } };
      try {
        return new TextEncoder().encode(planRecordText(plan, markdown));
      } catch (error) {
        if (error instanceof RecordError) return { status: 422, body: { errors: [fieldError(error)] } };
        throw error;
      }
    },
  };
};
