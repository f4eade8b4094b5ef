/** Record slugs from headlines: kept in core (core/record-slug.ts) so the publish API makes them the same way. */
export { MAX_SLUG_LENGTH, freeSlug, slugify } from "../core/record-slug.js";
