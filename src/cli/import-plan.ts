/** What `wirefeed import` is about to write: shared with the publish API (ingest/record-plan.ts). */
export type { RecordPlan } from "../ingest/record-plan.js";
