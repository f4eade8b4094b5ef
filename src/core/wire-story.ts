/**
 * A raw wire story as copied from an agency page → headline, dateline,
 * source, desk and body paragraphs. Pure: no node:*, no clock; the importer
 * passes "today" in when the dateline's year has to be inferred.
 *
 * The shape it reads:
 *
 *     A+ A-                                        (page chrome: dropped)
 *     Headline, on one line or two
 *     TOKYO, June 29 (KUNA) -- First paragraph…
 *     One paragraph per line…
 *     Last paragraph. (end) mk.ibi                 (trailer: desk initials)
 *
 * and its variants: a mixed-case place ("Tokyo,"), "June 29, 2022",
 * "29 June", no agency ("TOKYO, June 29 --"), and KUNA's Arabic layout:
 *
 *     عنوان الخبر
 *     الكويت - 30 - 6 (كونا) -- الفقرة الأولى…
 *     الفقرة الأخيرة. (النهاية) ح م ص / ع ك        (trailer: desk initials)
 */
import { RecordError } from "./errors.js";
import { collapseWhitespace, stripForbiddenXmlChars } from "./text.js";

export interface WireStory {
  headline: string;
  /** The place as written, e.g. "KUWAIT CITY". */
  dateline: string;
  /** The agency in parentheses, e.g. "KUNA"; absent when the dateline names none ("TOKYO, June 29 --"). */
  source?: string;
  month: number;
  day: number;
  /** When the dateline writes one ("June 29, 2022"). */
  year?: number;
  /** The date as the dateline writes it ("June 29", "29 - 6"), for messages. */
  datelineDate: string;
  /** "ar" for KUNA's Arabic layout (Arabic dateline and "(النهاية)" trailer); otherwise absent. */
  language?: string;
  /** Plain text, one per source line, dateline prefix and trailer removed. */
  paragraphs: string[];
  /** Desk initials from the "(end) mk.ibi" trailer. */
  desk?: string;
  /** Things the reader of the import should know (ignored lines…), already phrased. */
  notes: string[];
}

export type WireParse = { ok: true; story: WireStory } | { ok: false; error: RecordError };

export const DATELINE_SHAPE = 'expected "CITY, Month Day (AGENCY) --"';
export const ARABIC_DATELINE_SHAPE = 'expected "CITY - Day - Month (AGENCY) --" (الكويت - 30 - 6 (كونا) --)';

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5,
  june: 6, jun: 6, july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9,
  october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};

/** Days a month can have in some year: Feb 29 is checked again once the year is known. */
const MAX_DAY = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface Line {
  number: number;
  text: string;
}

// --- page chrome ------------------------------------------------------------

/** Whole lines that are navigation, never story text. */
const CHROME_PHRASE = /^(?:advertisement|skip to (?:main )?content|back to top|scroll to top)$/i;
/** Font-size buttons: "A+", "A-", "A−", run together or not (the plain "A" between them is a toolbar word). */
const FONT_BUTTON = /^(?:a[+\-−])+$/;
/** Words of share/print toolbars; a line made only of these (and at least one action) is chrome. */
const TOOLBAR_WORDS = new Set([
  "share", "print", "email", "e-mail", "mail", "tweet", "facebook", "twitter", "x", "whatsapp",
  "linkedin", "telegram", "reddit", "pinterest", "copy", "link", "save", "bookmark", "listen",
  "font", "size", "text", "this", "article", "story", "page", "on", "a", "via", "to", "friend", "send",
]);
const TOOLBAR_ACTIONS = new Set([
  "share", "print", "email", "e-mail", "tweet", "facebook", "twitter", "whatsapp", "linkedin",
  "telegram", "reddit", "pinterest", "bookmark", "listen", "font",
]);

export function isPageChrome(text: string): boolean {
  const line = text.trim();
  // A toolbar is short; a sentence that happens to use these words is not chrome.
  if (line === "" || line.length > 80) return false;
  if (CHROME_PHRASE.test(line)) return true;
  const tokens = line.toLowerCase().split(/[\s|•·/,:]+/).filter((t) => t !== "");
  return (
    tokens.length > 0 &&
    tokens.every((t) => TOOLBAR_WORDS.has(t) || FONT_BUTTON.test(t)) &&
    tokens.some((t) => TOOLBAR_ACTIONS.has(t) || FONT_BUTTON.test(t))
  );
}

// --- dateline -----------------------------------------------------------------

type DatelineParse =
  | {
      ok: true;
      city: string;
      month: number;
      day: number;
      year?: number;
      written: string;
      source?: string;
      rest: string;
      /** The Arabic form "الكويت - 30 - 6 (كونا) --": the story is in Arabic. */
      arabic: boolean;
    }
  /** `close`: the line has a place and a date, so it surely meant to be the dateline. */
  | { ok: false; reason: string; close: boolean; shape?: string };

/**
 * Place names as agencies write them: upper case ("TOKYO", "KUWAIT CITY",
 * "WASHINGTON, D.C.", "SÃO PAULO") or capitalised words ("Tokyo", "Kuwait
 * City", "Rio de Janeiro"); at most five words, so a sentence is no place.
 */
const CITY_WORD = /^(?:\p{Lu}[\p{L}\p{M}.'’-]*|de|da|do|dos|das|del|di|du|la|le|el|al|am|an|on|upon|of|y|e|[ae]l-\p{Lu}[\p{L}\p{M}.'’-]*)$/u;
const CITY_CHARS = /^\p{Lu}[\p{L}\p{M}\s.,'’-]*$/u;

function isCity(text: string): boolean {
  if (!CITY_CHARS.test(text) || text.length > 48) return false;
  const words = text.split(/[\s,]+/).filter((w) => w !== "");
  return words.length <= 5 && words.every((w) => CITY_WORD.test(w));
}

/**
 * The date after "CITY, ": "June 29", "Jan. 5", "June 29, 2022", "29 June",
 * "29 June 2022". The month word is checked against MONTHS separately, for a
 * precise message.
 */
const DATE_PART = /\s*(?:(\p{L}+)(\.?)\s+(\d{1,2})|(\d{1,2})\s+(\p{L}+)(\.?))(?:,?\s+(\d{4}))?(?!\d)/uy;
/** The longest place isCity accepts, and a little white space: no comma further in can end one. */
const MAX_CITY_END = 56;
const AGENCY = /^\s*\(([^()]*)\)/;
const SEPARATOR = /^\s*(?:--|—|–)\s*/;

type DateFound = { month: number; day: number; year?: number; written: string };

/** A month and day (and year) that exist, or the reason they do not. */
function checkDate(monthWord: string, day: number, year: number | undefined, written: string): DateFound | string {
  const month = MONTHS[monthWord.toLowerCase()] ?? ARABIC_MONTHS[monthWord];
  if (!month) return `"${monthWord}" is not a month`;
  return checkNumericDate(month, day, year, written);
}

function checkNumericDate(month: number, day: number, year: number | undefined, written: string): DateFound | string {
  if (month < 1 || month > 12 || day < 1 || day > MAX_DAY[month - 1]!) return `"${written}" is not a date`;
  if (year !== undefined && !isCalendarDate(year, month, day)) return `"${written}" is not a date`;
  return { month, day, written, ...(year !== undefined ? { year } : {}) };
}

/** After the date: "(AGENCY) --", or just "--" (a dateline without agency). */
function afterDate(line: string, date: DateFound, city: string, arabic: boolean): DatelineParse {
  const broken = (reason: string) => ({ ok: false as const, reason, close: true });
  let rest = line;
  let source: string | undefined;
  const agency = AGENCY.exec(rest);
  if (agency) {
    source = collapseWhitespace(agency[1]!);
    if (source === "") return broken("the agency in parentheses is empty");
    rest = rest.slice(agency[0].length);
  }
  const separator = SEPARATOR.exec(rest);
  if (!separator) return broken(source ? `no "--" after "(${source})"` : `no "(AGENCY)" or "--" after "${date.written}"`);
  return {
    ok: true,
    city: collapseWhitespace(city),
    month: date.month,
    day: date.day,
    ...(date.year !== undefined ? { year: date.year } : {}),
    written: date.written,
    ...(source ? { source } : {}),
    rest: rest.slice(separator[0].length),
    arabic,
  };
}

/** A line that is, or tries to be, an English dateline; undefined when it does not look like one. */
function parseEnglishDateline(line: string): DatelineParse | undefined {
  // Only commas near the start can end a place: a long line of commas costs no more than a short one.
  for (let comma = line.indexOf(","); comma !== -1 && comma <= MAX_CITY_END; comma = line.indexOf(",", comma + 1)) {
    const city = line.slice(0, comma).trim();
    if (!isCity(city)) continue;
    DATE_PART.lastIndex = comma + 1;
    const match = DATE_PART.exec(line);
    if (!match) continue;
    const [whole, mWord, mDot = "", mDay, dDay, dWord, dDot = "", yearDigits] = match;
    const year = yearDigits === undefined ? undefined : Number(yearDigits);
    const yearText = yearDigits === undefined ? "" : `${whole.includes(`, ${yearDigits}`) ? "," : ""} ${yearDigits}`;
    const found =
      mWord !== undefined
        ? checkDate(mWord, Number(mDay), year, `${mWord}${mDot} ${mDay}${yearText}`)
        : checkDate(dWord!, Number(dDay), year, `${dDay} ${dWord}${dDot}${yearText}`);
    if (typeof found === "string") return { ok: false, reason: found, close: true };
    return afterDate(line.slice(comma + 1 + whole.length), found, city, false);
  }
  // "TOKYO, …" or "NEW YORK (AP) --": a dateline, but without a usable date.
  const cityComma = /^([^,]*),/u.exec(line);
  if (cityComma && isCity(cityComma[1]!.trim()) && cityComma[1]!.replace(/[^\p{Lu}]/gu, "").length >= 2) {
    return { ok: false, reason: `no "Month Day" after "${cityComma[1]!.trim()},"`, close: false };
  }
  const placeAgency = /^([^(]*)\([^()]+\)\s*(?:--|—|–)/u.exec(line);
  if (placeAgency && isCity(placeAgency[1]!.trim())) {
    return { ok: false, reason: "no date between the place and the agency", close: true };
  }
  return undefined;
}

// KUNA's Arabic wire: "الكويت - 30 - 6 (كونا) --" (place, day, month) or "الكويت - 30 يونيو (كونا) --".
/** Western, Arabic-Indic and Eastern Arabic-Indic digits. */
const DIGIT = "[0-9\\u0660-\\u0669\\u06F0-\\u06F9]";
const ARABIC_DATELINE = new RegExp(
  `^([\\p{Script=Arabic}\\p{M}][\\p{Script=Arabic}\\p{M}\\s]*?)\\s*[-–—]\\s*(${DIGIT}{1,2})\\s*(?:[-–/]\\s*(${DIGIT}{1,2})|(\\p{Script=Arabic}+))(?:\\s*[-–/]?\\s*(${DIGIT}{4}))?(?!${DIGIT})`,
  "u",
);

const ARABIC_MONTHS: Record<string, number> = {
  يناير: 1, فبراير: 2, مارس: 3, أبريل: 4, ابريل: 4, إبريل: 4, مايو: 5, يونيو: 6, يونيه: 6, يوليو: 7, يوليه: 7,
  أغسطس: 8, اغسطس: 8, سبتمبر: 9, أكتوبر: 10, اكتوبر: 10, نوفمبر: 11, ديسمبر: 12,
};

/** Arabic-Indic digits as numbers: "٣٠" → 30. */
function digitsValue(text: string): number {
  return Number(text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0)));
}

function parseArabicDateline(line: string): DatelineParse | undefined {
  const match = ARABIC_DATELINE.exec(line);
  if (!match) return undefined;
  const [whole, city = "", dayDigits = "", monthDigits, monthWord, yearDigits] = match;
  const day = digitsValue(dayDigits);
  const year = yearDigits === undefined ? undefined : digitsValue(yearDigits);
  const written = whole.slice(city.length).replace(/^\s*[-–—]\s*/, "").trim();
  const found =
    monthDigits !== undefined ? checkNumericDate(digitsValue(monthDigits), day, year, written) : checkDate(monthWord!, day, year, written);
  if (typeof found === "string") return { ok: false, reason: found, close: true, shape: ARABIC_DATELINE_SHAPE };
  const parsed = afterDate(line.slice(whole.length), found, city, true);
  return parsed.ok ? parsed : { ...parsed, shape: ARABIC_DATELINE_SHAPE };
}

/**
 * A line that is, or tries to be, a dateline; undefined when it does not look
 * like one at all (so the caller can tell "no dateline" from "a broken one").
 */
function parseDateline(line: string): DatelineParse | undefined {
  return parseArabicDateline(line) ?? parseEnglishDateline(line);
}

// --- trailer ------------------------------------------------------------------

/** "(end) mk.ibi" closing the last paragraph, or alone on a line; desk initials optional. */
const TRAILER = /^(.*?)\s*\(end\)(?:\s*([\p{L}\p{N}]+(?:[./][\p{L}\p{N}]+)*))?\s*$/iu;
/** The Arabic "(النهاية) ح م ص / ع ك": initials are letters apart, desks separated by "/". */
const ARABIC_TRAILER = /^(.*?)\s*\(\s*النهاية\s*\)(?:\s*([\p{L}\p{N}](?:[\p{L}\p{N}\s./]{0,38}[\p{L}\p{N}])?))?\s*$/u;

/** "line 4", "lines 1–2, 5, 8": the lines a note is about, runs of consecutive lines shortened. */
function describeLines(lines: readonly Line[]): string {
  const runs: [number, number][] = [];
  for (const { number } of lines) {
    const last = runs[runs.length - 1];
    if (last && number === last[1] + 1) last[1] = number;
    else runs.push([number, number]);
  }
  const text = runs.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(", ");
  return `${lines.length === 1 ? "line" : "lines"} ${text}`;
}

// --- the story ----------------------------------------------------------------

export function parseWireStory(file: string, text: string): WireParse {
  const fail = (field: string, problem: string, line?: number): WireParse => ({
    ok: false,
    error: new RecordError(file, field, problem, line),
  });
  const notes: string[] = [];
  const raw = stripForbiddenXmlChars(text.replace(/^\uFEFF/, "")).split(/\r\n?|\n/);
  const content: Line[] = [];
  const chrome: Line[] = [];
  raw.forEach((t, i) => {
    const line = { number: i + 1, text: collapseWhitespace(t) };
    if (line.text === "") return;
    (isPageChrome(line.text) ? chrome : content).push(line);
  });
  if (content.length === 0) return fail("(file)", chrome.length ? "has only page chrome, no story" : "is empty");

  // A valid dateline anywhere wins (an upper-case headline like "NATO, JAPAN
  // AGREE" looks like a broken one); otherwise the likeliest broken attempt
  // where a dateline belongs, right after a one- or two-line headline.
  const at = content.findIndex((l) => parseDateline(l.text)?.ok);
  const dateline = at === -1 ? undefined : parseDateline(content[at]!.text);
  if (!dateline?.ok) {
    let attempt: { line: Line; reason: string; close: boolean; shape: string } | undefined;
    for (const line of content.slice(0, 3)) {
      const d = parseDateline(line.text);
      if (d && !d.ok && (!attempt || (d.close && !attempt.close))) attempt = { line, reason: d.reason, close: d.close, shape: d.shape ?? DATELINE_SHAPE };
    }
    if (attempt) return fail("dateline", `${attempt.shape}: ${attempt.reason}`, attempt.line.number);
    const expectedAt = content[Math.min(1, content.length - 1)]!;
    return fail("dateline", `${DATELINE_SHAPE} after the headline`, expectedAt.number);
  }
  const datelineLine = content[at]!;
  if (at === 0) return fail("headline", "missing: the headline comes before the dateline", datelineLine.number);
  if (at > 2) {
    return fail(
      "headline",
      `${at} lines before the dateline (${describeLines(content.slice(0, at))}); a headline has one or two: remove the others`,
      content[0]!.number,
    );
  }
  const headline = content.slice(0, at).map((l) => l.text).join(" ");

  const bodyLines: Line[] = [];
  if (dateline.rest.trim() !== "") bodyLines.push({ number: datelineLine.number, text: collapseWhitespace(dateline.rest) });
  bodyLines.push(...content.slice(at + 1));

  const paragraphs: string[] = [];
  let desk: string | undefined;
  for (let i = 0; i < bodyLines.length; i++) {
    const line = bodyLines[i]!;
    const trailer = TRAILER.exec(line.text) ?? ARABIC_TRAILER.exec(line.text);
    if (!trailer) {
      paragraphs.push(line.text);
      continue;
    }
    if (trailer[1]) paragraphs.push(trailer[1]);
    desk = trailer[2] === undefined ? undefined : collapseWhitespace(trailer[2]);
    const after = bodyLines.slice(i + 1);
    // "(end)" closes the story on the wire: what follows is the page's, not the agency's.
    const word = TRAILER.test(line.text) ? "(end)" : "(النهاية)";
    if (after.length) notes.push(`ignored ${describeLines(after)} after the "${word}" trailer`);
    break;
  }
  if (paragraphs.length === 0) return fail("body", "no text after the dateline", datelineLine.number);
  if (chrome.length) notes.push(`dropped page chrome on ${describeLines(chrome)}`);
  if (!dateline.source) notes.push(`line ${datelineLine.number}: the dateline names no agency; the record has no source (pass --source to give one)`);

  return {
    ok: true,
    story: {
      headline,
      dateline: dateline.city,
      ...(dateline.source ? { source: dateline.source } : {}),
      month: dateline.month,
      day: dateline.day,
      ...(dateline.year !== undefined ? { year: dateline.year } : {}),
      datelineDate: dateline.written,
      ...(dateline.arabic ? { language: "ar" } : {}),
      paragraphs,
      ...(desk ? { desk } : {}),
      notes,
    },
  };
}

// --- the year -----------------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function isCalendarDate(year: number, month: number, day: number): boolean {
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "YYYY-MM-DD" → parts, or undefined when it is not a calendar date. */
export function parseCalendarDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || !isCalendarDate(year, month, day)) return undefined;
  return { year, month, day };
}

/**
 * The latest date with this month and day that is not after `today`
 * (YYYY-MM-DD in the site's zone): a wire story is filed on or before the day
 * it is imported. Feb 29 goes back to the last leap year.
 */
export function latestDateNotAfter(month: number, day: number, today: string): string {
  const now = parseCalendarDate(today);
  if (!now) throw new Error(`today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  let year = month > now.month || (month === now.month && day > now.day) ? now.year - 1 : now.year;
  while (!isCalendarDate(year, month, day)) year--;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The dateline's date in `year`, or undefined when there is no such day (Feb 29 of a common year). */
export function dateInYear(month: number, day: number, year: number): string | undefined {
  return isCalendarDate(year, month, day) ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : undefined;
}

// --- Markdown -----------------------------------------------------------------

/**
 * Wire copy is plain text, the record body is Markdown: characters Markdown
 * would read as markup are escaped so the page shows what the agency wrote
 * ("1. …" stays a sentence, "<b>" stays visible, "*" is not emphasis, a
 * bare URL is not made a link).
 */
export function plainTextToMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<~]/g, "\\$&")
    .replace(/&(?=#?[a-z0-9]+;)/gi, "\\&")
    .replace(/^(#{1,6})(?=\s|$)/, "\\$1")
    .replace(/^>/, "\\>")
    .replace(/^([+-])(?=[\s-]|$)/, "\\$1")
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, "$1\\$2")
    // GFM would link a bare URL and take the escapes above into it ("a\_b" shown with its backslash, the link
    // broken): the URL stays text, as the agency wrote it.
    .replace(/\b(https?|ftp):(?=\/\/)/gi, "$1\\:")
    .replace(/\bwww\./gi, "www\\.");
}
