/** A synthetic store for the load test: `count` articles of wire-like text, each a few KB. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const WORDS = "ministry said officials talks security agreement oil output markets Tokyo Seoul Kuwait Canberra Wellington partnership summit cyber drill exports quota week statement leaders regional economic cooperation".split(" ");
const CATEGORIES = ["Diplomacy", "Security", "Markets", "Energy", "Asia-Pacific", "Middle East"];

/** Deterministic pseudo-random numbers, so every run serves the same bytes. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export function writeItems(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const random = rng(7);
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 14) }, word);
    return `${words.join(" ").replace(/^./, (c) => c.toUpperCase())}.`;
  };
  const slugs: string[] = [];
  for (let i = 0; i < count; i++) {
    const slug = `story-${String(i).padStart(4, "0")}`;
    const published = new Date(Date.UTC(2022, 0, 1) + i * 3_600_000).toISOString().replace(".000Z", "Z");
    const paragraphs = Array.from({ length: 4 + Math.floor(random() * 6) }, () => Array.from({ length: 3 + Math.floor(random() * 4) }, sentence).join(" "));
    const front = [
      "---",
      `title: "${sentence().slice(0, -1)} & more <${i}>"`,
      `published: ${published}`,
      `categories: [${CATEGORIES[i % CATEGORIES.length]}, ${CATEGORIES[(i * 7) % CATEGORIES.length]}]`,
      "dateline: TOKYO",
      "source: KUNA",
      "---",
      "",
    ].join("\n");
    writeFileSync(join(dir, `${slug}.md`), `${front}${paragraphs.join("\n\n")}\n\nSee [the statement](/notes/${slug}).\n`);
    slugs.push(slug);
  }
  return slugs;
}
