/**
 * The plain-text wire story path of `wirefeed import`: the story's parse
 * (core/wire-story.ts) and the year its dateline leaves out.
 */
import { dateInYear, latestDateNotAfter, parseCalendarDate, parseWireStory, plainTextToMarkdown, type WireStory } from "../core/wire-story.js";
import { stringOption, type ParsedArgs } from "./args.js";
import type { RecordPlan } from "./import-plan.js";
import { UsageError } from "./io.js";

export type YearChoice = { year: number } | { date: string } | { infer: true };

export function yearChoice(args: ParsedArgs): YearChoice {
  const year = stringOption(args, "year");
  const date = stringOption(args, "date");
  if (year !== undefined && date !== undefined) throw new UsageError("give --year or --date, not both");
  if (year !== undefined) {
    if (!/^[12]\d{3}$/.test(year)) throw new UsageError(`--year "${year}" must be a year like 2022`);
    return { year: Number(year) };
  }
  if (date !== undefined) {
    if (!parseCalendarDate(date)) throw new UsageError(`--date "${date}" must be a calendar date YYYY-MM-DD`);
    return { date };
  }
  return { infer: true };
}

/** The story's date (YYYY-MM-DD) and a line saying where its year came from, or why there is none. */
function storyDate(story: WireStory, choice: YearChoice, today: string): { date: string; note: string } | { problem: string } {
  const written = `dateline "${story.datelineDate}"`;
  if (story.year !== undefined) {
    const date = dateInYear(story.month, story.day, story.year)!;
    if ("year" in choice && choice.year !== story.year) return { problem: `--year ${choice.year} does not match the ${written}` };
    if ("date" in choice && choice.date !== date) return { problem: `--date ${choice.date} does not match the ${written}` };
    return { date, note: `${written}; used ${date}` };
  }
  if ("year" in choice) {
    const date = dateInYear(story.month, story.day, choice.year);
    return date ? { date, note: `${written}; used ${date} (--year ${choice.year})` } : { problem: `${written} has no such day in ${choice.year}` };
  }
  if ("date" in choice) {
    const given = parseCalendarDate(choice.date)!;
    if (given.month !== story.month || given.day !== story.day) {
      return { problem: `--date ${choice.date} does not match the ${written}` };
    }
    return { date: choice.date, note: `${written}; used ${choice.date} (--date)` };
  }
  const date = latestDateNotAfter(story.month, story.day, today);
  return { date, note: `${written} has no year; used ${date} (latest not after today); pass --year to choose` };
}

/** A plain-text story → the record to write, or the line that says why not. */
export function wirePlan(label: string, text: string, choice: YearChoice, today: string, siteLanguage: string): RecordPlan | { problem: string } {
  const parsed = parseWireStory(label, text);
  if (!parsed.ok) return { problem: parsed.error.message };
  const story = parsed.story;
  const dated = storyDate(story, choice, today);
  if ("problem" in dated) return { problem: `import: ${dated.problem}` };
  const language = story.language && !siteLanguage.toLowerCase().startsWith(story.language) ? story.language : undefined;
  return {
    title: story.headline,
    fallbackSlug: `${story.dateline} ${dated.date}`,
    date: dated.date,
    fields: {
      title: story.headline,
      published: dated.date,
      dateline: story.dateline,
      ...(story.source ? { source: story.source } : {}),
      ...(story.desk ? { desk: story.desk } : {}),
      ...(language ? { language } : {}),
    },
    body: () => story.paragraphs.map(plainTextToMarkdown).join("\n\n"),
    notes: [`import: ${dated.note}`, ...story.notes.map((note) => `import: ${label}: ${note}`)],
  };
}
