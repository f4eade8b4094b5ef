import type { ArticleMeta } from "../core/article.js";
import type { Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { parseRecord, slugOfFile } from "../core/record.js";
import { feedsShowing } from "../core/topics.js";
import type { Publisher } from "../http/publish-api.js";
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
      const created = !(await store.list()).includes(name);
      await store.write(name, bytes);
      const result = parseRecord(store.describe(name), bytes, site);
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
