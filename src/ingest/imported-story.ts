/**
 * What `wirefeed import` reads out of an agency's structured document (IPTC
 * ninjs, NewsML-G2) before it becomes a record: the record's fields, the body
 * still in the agency's markup, and what the agency said about publishing it.
 * Pure: no node:*, no clock (the importer compares an embargo with its own now).
 */

/** Where a value came from, for messages: a JSON path ("$.headlines[0].value") or an XML element and its line. */
export interface Origin {
  field: string;
  line?: number;
}

/** The body as the document carries it: HTML (XHTML and NITF already turned into HTML) or plain text. */
export interface BodySource extends Origin {
  kind: "html" | "text";
  value: string;
}

/**
 * IPTC's publication status: "usable" publishes; "withheld" (held back until
 * further notice) and "canceled" (killed) do not.
 */
export type PubStatus = "usable" | "withheld" | "canceled";

export interface ImportedStory {
  format: "ninjs" | "NewsML-G2";
  title: string;
  /** ISO 8601 date-time with offset, as the document writes it. */
  published: string;
  /** Set when the document's version is later than its first publication. */
  updated?: string;
  dateline?: string;
  source?: string;
  authors: string[];
  categories: string[];
  language?: string;
  /** The document's own URI (ninjs uri, NewsML-G2 guid) when it is a canonical absolute URI: the record's id. */
  id?: string;
  /** The agency's short name for the story (ninjs slugline, NewsML-G2 contentMeta/slugline), kept across its versions. */
  slugline?: string;
  body: BodySource;
  status: PubStatus;
  statusOrigin: Origin;
  /** The instant before which the story must not appear (ninjs embargoed / embargoedUntil, NewsML-G2 embargoed). */
  embargo?: { until: string } & Origin;
  /** Things the reader of the import should know, already phrased. */
  notes: string[];
}

export type StoryParse = { ok: true; story: ImportedStory } | { ok: false; error: import("../core/errors.js").RecordError };
