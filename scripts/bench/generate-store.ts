/**
 * Deterministic synthetic article stores for the benchmark.
 *
 * Article i is published `i` steps before a fixed instant, so article 0 is the
 * newest and a smaller store is the newest slice of a larger one made with the
 * same seed: the 50 newest articles (and so the 50-item feed) are the same in
 * the 1k, 10k and 100k stores. Text comes from a seeded PRNG per article, so
 * the same (seed, index) always gives the same bytes.
 *
 * Usage: tsx scripts/bench/generate-store.ts <dir> <count> [seed]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** mulberry32: tiny, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

const PLACES = [
  { dateline: "TOKYO", country: "Japan", people: "Japanese", offset: "+09:00" },
  { dateline: "SEOUL", country: "South Korea", people: "South Korean", offset: "+09:00" },
  { dateline: "KUWAIT", country: "Kuwait", people: "Kuwaiti", offset: "+03:00" },
  { dateline: "CANBERRA", country: "Australia", people: "Australian", offset: "+10:00" },
  { dateline: "WELLINGTON", country: "New Zealand", people: "New Zealand", offset: "+12:00" },
  { dateline: "BRUSSELS", country: "Belgium", people: "Belgian", offset: "+02:00" },
  { dateline: "NAIROBI", country: "Kenya", people: "Kenyan", offset: "+03:00" },
  { dateline: "JAKARTA", country: "Indonesia", people: "Indonesian", offset: "+07:00" },
  { dateline: "SAO PAULO", country: "Brazil", people: "Brazilian", offset: "-03:00" },
  { dateline: "OTTAWA", country: "Canada", people: "Canadian", offset: "-04:00" },
] as const;
const SOURCES = ["KUNA", "Yonhap", "Kyodo", "AAP", "Antara", "KNA", "Agencia Brasil", "CP", "Belga"];
const DESKS = ["mk.ibi", "ha.gb", "js.kl", "rt.mm", "ab.cd", "yo.ta"];
const CATEGORIES = ["Diplomacy", "Security", "Markets", "Energy", "Economy", "Trade", "Health", "Climate", "Technology", "Cyber", "Transport", "Agriculture"];
const OFFICIALS = ["Prime Minister", "Foreign Minister", "Finance Minister", "Defence Minister", "central bank governor", "trade envoy", "energy minister"];
const ACTIONS = ["seeks", "rejects", "backs", "weighs", "signs", "delays", "expands", "reviews"];
const OBJECTS = [
  "talks on regional security",
  "a new trade accord",
  "crude output quotas",
  "an upgrade of the NATO partnership",
  "rate cuts to steady the currency",
  "a cyber defence pact",
  "port expansion funding",
  "emergency grain imports",
  "a climate finance package",
  "rules for undersea cables",
];
const SURNAMES = ["Tanaka", "Kim", "Al-Ali", "Nguyen", "Okafor", "Silva", "Martin", "Wijaya", "Novak", "Haddad"];
const GIVEN = ["Aiko", "Min-ji", "Hamad", "Linh", "Chidi", "Ana", "Claire", "Budi", "Petra", "Rami"];
const WORDS =
  "said ministry officials on Wednesday that the government would keep its plans under review while talks with partners continue and markets watch for further signs of change in policy ahead of the summit later this month analysts expect the measures to weigh on exports but support domestic demand as the region recovers from higher energy prices and supply disruptions".split(" ");

function sentence(rng: Rng, place: (typeof PLACES)[number]): string {
  const n = between(rng, 10, 24);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(rng, WORDS));
  let text = `The ${place.people} ${pick(rng, OFFICIALS)} said ${words.join(" ")}`;
  const flavour = rng();
  // Markdown and characters the renderers must escape, as real copy has them.
  if (flavour < 0.12) text += `, calling it "a step toward stability & growth"`;
  else if (flavour < 0.2) text += ` (see the [ministry statement](https://gov.example/statements/${between(rng, 1000, 9999)}))`;
  else if (flavour < 0.26) text += `, with output at **${between(rng, 1, 9)}.${between(rng, 0, 9)} million** barrels a day`;
  else if (flavour < 0.3) text += `; shares rose <1% in early trade`;
  return `${text}.`;
}

export interface GeneratedRecord {
  name: string;
  slug: string;
  text: string;
}

/** Fixed "now" of the synthetic wire: article 0 is published at this instant. */
export const NEWEST = Date.UTC(2024, 5, 30, 12, 0, 0);
/** Minutes between consecutive articles (100k articles span about 7 months). */
const STEP_MINUTES = 3;

function isoWithOffset(ms: number, offset: string): string {
  const sign = offset.startsWith("-") ? -1 : 1;
  const [h, m] = offset.slice(1).split(":").map(Number) as [number, number];
  const local = new Date(ms + sign * (h * 60 + m) * 60_000);
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

/** The record of article `index` (0 = newest) for `seed`; `publishedMs` overrides its date. */
export function generateRecord(index: number, seed = 1, publishedMs?: number): GeneratedRecord {
  const rng = prng((seed * 0x9e3779b1) ^ (index * 0x85ebca6b));
  const place = pick(rng, PLACES);
  const official = pick(rng, OFFICIALS);
  const action = pick(rng, ACTIONS);
  const object = pick(rng, OBJECTS);
  const title = `${place.country} ${official.toLowerCase().startsWith("prime") ? "PM" : official} ${action} ${object}`;
  const slug = `${place.dateline.toLowerCase().replace(/ /g, "-")}-${action}-${object.split(" ").slice(-2).join("-")}-${index.toString(36)}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "")
    .replace(/-+/g, "-");
  const published = publishedMs ?? NEWEST - index * STEP_MINUTES * 60_000;
  const lines = ["---", `title: ${JSON.stringify(title)}`, `published: ${isoWithOffset(published, place.offset)}`];
  if (rng() < 0.15) {
    // A correction, at most two hours later: never enough to reorder the newest slice across store sizes.
    lines.push(`updated: ${isoWithOffset(published + between(rng, 5, 120) * 60_000, place.offset)}`);
  }
  const desk = pick(rng, DESKS);
  lines.push(`dateline: ${place.dateline}`, `source: ${pick(rng, SOURCES)}`, `desk: ${desk}`);
  if (rng() < 0.3) lines.push(`summary: ${JSON.stringify(sentence(rng, place))}`);
  const categories = new Set<string>();
  for (let i = between(rng, 1, 3); i > 0; i--) categories.add(pick(rng, CATEGORIES));
  lines.push("categories:", ...[...categories].map((c) => `  - ${c}`));
  if (rng() < 0.4) {
    const author = `${pick(rng, GIVEN)} ${pick(rng, SURNAMES)}`;
    lines.push("authors:", rng() < 0.5 ? `  - ${author}` : `  - name: ${author}\n    email: ${author.toLowerCase().replace(/[^a-z]+/g, ".")}@wirefeed.example`);
  }
  if (rng() < 0.2) {
    lines.push("image:", `  url: https://media.wirefeed.example/img/${slug}.jpg`, `  length: ${between(rng, 20_000, 400_000)}`, `  alt: ${JSON.stringify(`${place.dateline} file photo`)}`);
  }
  if (rng() < 0.1) {
    lines.push("enclosures:", `  - url: https://media.wirefeed.example/audio/${slug}.mp3`, "    type: audio/mpeg", `    length: ${between(rng, 500_000, 9_000_000)}`);
  }
  lines.push("---", "");
  const paragraphs: string[] = [];
  for (let p = between(rng, 3, 8); p > 0; p--) {
    const sentences: string[] = [];
    for (let s = between(rng, 1, 3); s > 0; s--) sentences.push(sentence(rng, place));
    paragraphs.push(sentences.join(" "));
  }
  const text = `${lines.join("\n")}\n${paragraphs.join("\n\n")}\n\n(end) ${desk}\n`;
  return { name: `${slug}.md`, slug, text };
}

/** Writes `count` records (indexes 0..count-1) into `dir`; resolves with the total bytes written. */
export async function generateStore(dir: string, count: number, seed = 1, concurrency = 64): Promise<number> {
  await mkdir(dir, { recursive: true });
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < count) {
      const record = generateRecord(next++, seed);
      bytes += Buffer.byteLength(record.text);
      await writeFile(join(dir, record.name), record.text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return bytes;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, countText, seedText] = process.argv.slice(2);
  const count = Number(countText);
  if (!dir || !Number.isSafeInteger(count) || count < 1) {
    console.error("usage: tsx scripts/bench/generate-store.ts <dir> <count> [seed]");
    process.exit(2);
  }
  const started = performance.now();
  const bytes = await generateStore(dir, count, seedText ? Number(seedText) : 1);
  console.log(`${count} records, ${(bytes / 1e6).toFixed(1)} MB in ${dir} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
