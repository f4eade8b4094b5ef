/** The ninjs and NewsML-G2 paths of `wirefeed import`: the mapping it shares with the publish API (ingest/story-record.ts). */
export { planBody, structuredOutcome, type StructuredOutcome } from "../ingest/story-record.js";
