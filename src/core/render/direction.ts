/** Languages written right to left (primary subtag), so pages set dir="rtl" for them. */
const RTL = new Set(["ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"]);

export function dirOf(lang: string): "rtl" | "ltr" {
  return RTL.has(primaryLanguage(lang)) ? "rtl" : "ltr";
}

/** "ar-KW" → "ar": what the page strings and date formats are chosen by. */
export function primaryLanguage(lang: string): string {
  return lang.split("-")[0]!.toLowerCase();
}

/** ` lang="…" dir="…"`: every element holding one article's text says which language and direction it is in. */
export function langAttrs(lang: string, escape: (s: string) => string): string {
  return ` lang="${escape(lang)}" dir="${dirOf(lang)}"`;
}
