import type { ArticleMeta } from "../core/article.js";
import type { Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { parseRecord, slugOfFile } from "../core/record.js";
import { feedsShowing } from "../core/topics.js";
import { IdTakenError, type Publisher } from "../http/publish-api.js";
import type { WebSubNotifier } from "../http/websub.js";
import type { WritableRecordStore } from "../storage/store.js";

/**
 * The publish API's writer on the Worker: the KV store (index kept current,
 * tombstones on removal), then a WebSub ping for every feed that showed or
 * now shows the article. `catalog` is the one the request was answered from,
 * so "before" is what readers last saw.
 */
export function storePublisher(store: WritableRecordStore, catalog: Catalog, site: SiteConfig, hub?: WebSubNotifier): Publisher {
  const notify = (before: ArticleMeta | undefined, after: ArticleMeta | undefined) =>
    hub?.notify([...feedsShowing(site, before), ...feedsShowing(site, after)]);
  return {
    async put(slug, bytes) {
      const name = `${slug}.md`;
      const result = parseRecord(store.describe(name), bytes, site);
      // The article holding an id keeps it: a record of another slug carrying it is refused, not stored.
      const id = result.ok && "article" in result ? result.article.id : undefined;
      const holder = id === undefined ? undefined : catalog.entries.find((e) => e.id === id && e.slug !== slug);
      if (holder) throw new IdTakenError(holder.id, holder.slug, holder.file);
      const created = !(await store.list()).includes(name);
      await store.write(name, bytes);
      notify(catalog.find(slug), result.ok && "article" in result ? result.article : undefined);
      return { created };
    },
    read: (slug) => store.read(`${slug}.md`),
    list: async () => (await store.list()).map(slugOfFile),
    async remove(slug) {
      const removed = await store.remove(`${slug}.md`);
      if (removed) notify(catalog.find(slug), undefined);
      return removed;
    },
  };
}
