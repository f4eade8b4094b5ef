/** Parses a header like Accept or Accept-Encoding into (token, q) pairs; malformed q counts as 1. */
export function parseQualityList(header: string | null | undefined): { token: string; q: number }[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part) => {
      const [token = "", ...params] = part.trim().split(";");
      let q = 1;
      for (const p of params) {
        const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
        if (m) q = Math.min(1, Math.max(0, Number(m[1]) || 0));
      }
      return { token: token.trim().toLowerCase(), q };
    })
    .filter((e) => e.token !== "");
}

export type ContentCoding = "br" | "gzip" | "identity";

/** Clients send a handful of distinct Accept-Encoding values: each is parsed once (bounded). */
const encodingChoices = new Map<string, ContentCoding>();

/** Picks br over gzip over identity among what the client accepts (RFC 9110 §12.5.3). */
export function pickEncoding(acceptEncoding: string | null | undefined, offered: readonly ContentCoding[]): ContentCoding {
  if (offered.length === 1) return offered[0]!;
  const key = `${offered.join(",")}|${acceptEncoding ?? ""}`;
  let choice = encodingChoices.get(key);
  if (choice === undefined) {
    choice = chooseEncoding(acceptEncoding, offered);
    if (encodingChoices.size >= 256) encodingChoices.clear();
    encodingChoices.set(key, choice);
  }
  return choice;
}

function chooseEncoding(acceptEncoding: string | null | undefined, offered: readonly ContentCoding[]): ContentCoding {
  const list = parseQualityList(acceptEncoding);
  const q = (coding: string) => {
    const exact = list.find((e) => e.token === coding || (coding === "gzip" && e.token === "x-gzip"));
    if (exact) return exact.q;
    const star = list.find((e) => e.token === "*");
    return star ? star.q : 0;
  };
  for (const coding of offered) if (coding !== "identity" && q(coding) > 0) return coding;
  return "identity";
}

/** Media type ranges: how well `type` is accepted, 0 when not at all. */
export function acceptQuality(accept: string | null | undefined, type: string): number {
  const list = parseQualityList(accept);
  if (list.length === 0) return 1;
  const [major] = type.split("/");
  let best = -1;
  let specificity = -1;
  for (const e of list) {
    const s = e.token === type ? 2 : e.token === `${major}/*` ? 1 : e.token === "*/*" ? 0 : -1;
    if (s > specificity) {
      specificity = s;
      best = e.q;
    }
  }
  return Math.max(0, best);
}

/** The offered type the client likes best; ties go to the earlier offer. */
export function pickMediaType<T extends string>(accept: string | null | undefined, offers: readonly { type: T; aliases?: readonly string[] }[]): T | undefined {
  let chosen: T | undefined;
  let bestQ = 0;
  for (const offer of offers) {
    const q = Math.max(...[offer.type, ...(offer.aliases ?? [])].map((t) => acceptQuality(accept, t)));
    if (q > bestQ) {
      bestQ = q;
      chosen = offer.type;
    }
  }
  return chosen;
}
