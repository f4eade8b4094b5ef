import { localDate } from "../core/dates.js";
import { RecordError } from "../core/errors.js";
import { decodeRecordBytes, slugProblem } from "../core/record.js";
import {
  dateInYear,
  latestDateNotAfter,
  parseCalendarDate,
  parseWireStory,
  plainTextToMarkdown,
  type WireStory,
} from "../core/wire-story.js";
import { directoryStore } from "../storage/fs-dir.js";
import { flagOption, stringOption, type ParsedArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError, type CliIo } from "./io.js";
import { CONFIG_HELP, CONFIG_OPTION, categoryList, existingDirectory, loadSite, readInput, recordLabel } from "./project.js";
import { recordText, writeValidRecord } from "./record-file.js";
import { slugify } from "./slug.js";

export const importStory: Command = {
  name: "import",
  synopsis: "<file|->",
  summary: "turn a raw wire story into a record",
  help: `Usage: wirefeed import <file|-> [options]

Reads a wire story as copied from an agency page ("-": standard input):

  Headline (one line, or two)
  CITY, Month Day (AGENCY) -- First paragraph…      ("--", "—" or "–")
  One paragraph per line…
  Last paragraph. (end) mk.ibi                      (desk initials: optional)

and writes <dir>/<slug>.md with title, published (the dateline's date),
dateline, source, desk and the paragraphs. Page chrome such as "A+ A-" or
"Share | Print" lines is dropped. The slug comes from the headline.

The dateline has no year: --year or --date gives it; otherwise the latest such
date not after today (in the site's time zone) is used, and said on stderr.

A story that does not parse is reported as "file:line: field: problem" and
nothing is written. An existing record is never replaced without --force.

Options:
  --dir <dir>           records folder (default: items)
  --slug <slug>         the file name instead of one derived from the headline
  --category <name>     a category; repeat for more
  --year <YYYY>         the dateline's year
  --date <YYYY-MM-DD>   the dateline's full date (must match its month and day)
  --force               replace an existing record with the same slug
${CONFIG_HELP}
  -h, --help            show this help

Exit status: 0 written, 1 story not parsed or record exists, 2 usage error.

Example:
  wirefeed import story.txt --year 2022 --category Diplomacy`,
  options: {
    ...CONFIG_OPTION,
    dir: { type: "string" },
    slug: { type: "string" },
    category: { type: "string", multiple: true },
    year: { type: "string" },
    date: { type: "string" },
    force: { type: "boolean" },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('takes one story file, or "-" for standard input');
    const input = args.positionals[0]!;
    const choice = yearChoice(args);
    const slugArg = stringOption(args, "slug");
    const slugIssue = slugArg === undefined ? undefined : slugProblem(slugArg);
    if (slugIssue) throw new UsageError(`--slug ${slugIssue}`);
    const categories = categoryList(args);
    const dirArg = stringOption(args, "dir") ?? "items";
    const site = await loadSite(io, args);
    const dir = await existingDirectory(io, dirArg, "--dir");
    const label = input === "-" ? "(stdin)" : input;

    let parsed;
    try {
      parsed = parseWireStory(label, decodeRecordBytes(label, await readInput(io, input)));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      parsed = { ok: false as const, error };
    }
    if (!parsed.ok) {
      io.err(parsed.error.message);
      return EXIT.findings;
    }
    const story = parsed.story;
    const today = localDate(io.now(), site.timeZone);
    const dated = storyDate(story, choice, today);
    if ("problem" in dated) {
      io.err(`import: ${dated.problem}`);
      return EXIT.findings;
    }
    io.err(`import: ${dated.note}`);
    for (const note of story.notes) io.err(`import: ${label}: ${note}`);

    const slug = slugArg ?? (slugify(story.headline) || slugify(`${story.dateline} ${dated.date}`) || `story-${dated.date}`);
    const name = `${slug}.md`;
    const target = recordLabel(dirArg, name);
    const store = directoryStore(dir, dirArg);
    // Checked, then written by rename: a record created in between by someone else would be replaced;
    // the store has no create-only write, and two people importing one story at once is no real case.
    const exists = (await store.read(name)) !== undefined;
    if (exists && !flagOption(args, "force")) {
      io.err(`import: ${target} already exists; pass --force to replace it, or --slug to choose another name`);
      return EXIT.findings;
    }

    const text = recordText(
      {
        title: story.headline,
        published: dated.date,
        dateline: story.dateline,
        source: story.source,
        ...(story.desk ? { desk: story.desk } : {}),
        ...(categories.length ? { categories } : {}),
      },
      story.paragraphs.map(plainTextToMarkdown).join("\n\n"),
    );
    if (!(await writeValidRecord(io, store, name, target, text, site))) return EXIT.findings;
    io.out(target);
    if (exists) io.err(`import: replaced ${target} (--force)`);
    return EXIT.ok;
  },
};

type YearChoice = { year: number } | { date: string } | { infer: true };

function yearChoice(args: ParsedArgs): YearChoice {
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
