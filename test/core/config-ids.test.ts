/** Issue 11, item 7: the feeds' id date and the site author's URL in site.config.json. */
import { describe, expect, it } from "vitest";
import { parseSiteConfig } from "../../src/core/config.js";
import { ConfigError } from "../../src/core/errors.js";
import { TEST_SITE_CONFIG } from "../support/fixtures.js";

const parse = (overrides: Record<string, unknown>, siteUrl?: string) => parseSiteConfig({ ...TEST_SITE_CONFIG, ...overrides }, "site.config.json", siteUrl);

describe("site config: ids and author URL", () => {
  it("a relative author url is taken against baseUrl, and so follows SITE_URL", () => {
    expect(parse({ author: { name: "Desk", url: "./" } }).author.url).toBe("https://news.example/");
    expect(parse({ author: { name: "Desk", url: "./" } }, "http://127.0.0.1:41106/").author.url).toBe("http://127.0.0.1:41106/");
    expect(parse({ author: { name: "Desk", url: "staff/desk" } }, "https://wire.example/news/").author.url).toBe("https://wire.example/news/staff/desk");
    expect(parse({ author: { name: "Desk", url: "https://elsewhere.example/desk" } }, "http://127.0.0.1:1/").author.url).toBe("https://elsewhere.example/desk");
  });

  it("a non-http author url or a malformed idDate is an error naming the field", () => {
    expect(() => parse({ author: { name: "Desk", url: "javascript:alert(1)" } })).toThrow(ConfigError);
    expect(() => parse({ author: { name: "Desk", url: "javascript:alert(1)" } })).toThrow(/author\.url/);
    for (const idDate of ["22", "2022-13", "2022-02-30", "2022/06", 2022]) expect(() => parse({ idDate }), String(idDate)).toThrow(/idDate/);
    expect(parse({ idDate: "2022-06-29" }).idDate).toBe("2022-06-29");
    expect(parse({}).idDate).toBe("2000");
  });
});
