/**
 * Agency documents through the publish API inside workerd, on D1: the
 * document reader (and saxes, for NewsML-G2) runs on the Workers runtime,
 * and what it stores is served by the D1 Worker as shipped, whose own API
 * takes them too (worker-d1.ts).
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { readDocument } from "../../src/http/publish-documents.js";
import { d1Store } from "../../src/runtime/worker-d1-store.js";
import { d1Isolate, loadD1, site } from "./d1-support.js";

const TOKEN = "doc-token";
const auth = { Authorization: `Bearer ${TOKEN}` };

const NINJS = JSON.stringify({
  uri: "urn:newsml:wire.example:20220702:edge-budget",
  type: "text",
  firstcreated: "2022-07-02T08:00:00+09:00",
  pubstatus: "usable",
  slugline: "EDGE-BUDGET",
  headlines: [{ role: "main", value: "Edge budget passes" }],
  bodies: [{ contenttype: "text/html", value: "<p>Passed at <b>dawn</b>.</p><script>steal()</script>" }],
});

const NEWSML = `<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:wire.example:20220702:edge-drill" version="1" standard="NewsML-G2" standardversion="2.35">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <firstCreated>2022-07-02T09:30:00+09:00</firstCreated>
    <pubStatus qcode="stat:usable"/>
  </itemMeta>
  <contentMeta>
    <headline>Edge drill ends</headline>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>The drill ended.</p></body></html></inlineXML>
  </contentSet>
</newsItem>
`;

/** The D1 store's publish API with the document reader, in this isolate. */
async function api(path: string, init: RequestInit): Promise<Response> {
  const store = d1Store(env.DB, site, () => {}, TOKEN, { documents: readDocument });
  const ctx = createExecutionContext();
  const response = await store.api!(new Request(`https://wire.example/api/items${path}`, { ...init, headers: { ...auth, ...init.headers } }), ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

beforeEach(async () => {
  await loadD1({});
});

describe("agency documents on D1, in workerd", () => {
  it("POST ninjs: 201 at the slugline's slug, the body sanitized; the shipped D1 Worker serves it", async () => {
    const res = await api("", { method: "POST", headers: { "Content-Type": "application/ninjs+json" }, body: NINJS });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ slug: "edge-budget", id: "urn:newsml:wire.example:20220702:edge-budget", format: "ninjs" });
    const page = await d1Isolate()("/items/edge-budget");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Edge budget passes");
    expect(html).toContain("<b>dawn</b>");
    expect(html).not.toContain("steal()");
  });

  it("PUT NewsML-G2 (saxes on workerd): 201; canceled: 204 and the page is 410; hostile XML: 422 at its line", async () => {
    const type = { "Content-Type": "application/vnd.iptc.g2.newsitem+xml" };
    expect((await api("/drill", { method: "PUT", headers: type, body: NEWSML })).status).toBe(201);
    const isolate = d1Isolate();
    expect(await (await isolate("/feed.json")).text()).toContain("Edge drill ends");
    const canceled = NEWSML.replace("stat:usable", "stat:canceled");
    expect((await api("/drill", { method: "PUT", headers: type, body: canceled })).status).toBe(204);
    expect((await d1Isolate()("/items/drill")).status).toBe(410);
    const bomb = NEWSML.replace("<newsItem", '<!DOCTYPE newsItem [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<newsItem').replace("Edge drill ends", "&b;");
    const refused = await api("/bomb", { method: "PUT", headers: type, body: bomb });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ errors: [{ field: "(xml)", line: 10, message: "is not well-formed XML: undefined entity." }] });
  });

  it("the shipped D1 Worker's own API takes them: 201, served; another type is 415 naming every type it takes", async () => {
    const shipped = d1Isolate({ PUBLISH_TOKEN: TOKEN });
    const put = await shipped("/api/items/shipped", { method: "PUT", headers: { ...auth, "Content-Type": "application/ninjs+json" }, body: NINJS });
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ slug: "shipped", format: "ninjs" });
    expect(await (await d1Isolate()("/items/shipped")).text()).toContain("Edge budget passes");
    const res = await shipped("/api/items/x", { method: "PUT", headers: { ...auth, "Content-Type": "application/pdf" }, body: "%PDF" });
    expect(res.status).toBe(415);
    expect(res.headers.get("accept")).toBe("application/json, text/markdown, application/ninjs+json, application/vnd.iptc.g2.newsitem+xml, application/vnd.iptc.g2.newsmessage+xml");
  });
});
