import { localDate } from "../core/dates.js";
import { RecordError } from "../core/errors.js";
import { parseRecord, slugProblem } from "../core/record.js";
import { collapseWhitespace } from "../core/text.js";
import { decodeDocument, documentKind } from "../ingest/document.js";
import type { ImportedStory } from "../ingest/imported-story.js";
import { directoryStore } from "../storage/fs-dir.js";
import { flagOption, stringOption } from "./args.js";
import type { Command } from "./command.js";
import type { RecordPlan } from "./import-plan.js";
import { planBody, structuredOutcome } from "./import-structured.js";
import { planRecordText, planSlug } from "../ingest/story-record.js";
import { wirePlan, yearChoice } from "./import-wire.js";
import { EXIT, UsageError, type CliIo } from "./io.js";
import { CONFIG_HELP, CONFIG_OPTION, categoryList, existingDirectory, loadSite, readInput, recordLabel } from "./project.js";
import { writeValidRecord } from "./record-file.js";
import { slugify } from "./slug.js";
import type { WritableRecordStore } from "../storage/store.js";
import type { SiteConfig } from "../core/config.js";

export const importStory: Command = {
  name: "import",
  synopsis: "<file|->",
  summary: "turn an agency story (wire text, ninjs or NewsML-G2) into a record",
  help: `Usage: wirefeed import <file|-> [options]

Reads one agency story ("-": standard input) and writes <dir>/<slug>.md. The
format is told from the first character: "{" IPTC ninjs (JSON, 1.x-3.x), "<"
IPTC NewsML-G2 (a <newsItem>), anything else a wire story as copied from an
agency page:

  Headline (one line, or two)
  CITY, Month Day (AGENCY) -- First paragraph…      ("--", "—" or "–")
  One paragraph per line…
  Last paragraph. (end) mk.ibi                      (desk initials: optional)

The dateline may also read "Tokyo, June 29", "TOKYO, June 29, 2022",
"TOKYO, 29 June", "TOKYO, June 29 --" (no agency: no source) or, in KUNA's
Arabic layout, "الكويت - 30 - 6 (كونا) --" with the "(النهاية)" trailer.

A wire story's record has title, published (the dateline's date), dateline,
source, desk and the paragraphs; page chrome such as "A+ A-" or "Share |
Print" lines is dropped. A dateline without a year takes it from --year or
--date, otherwise the latest such date not after today (in the site's time
zone), and says so on stderr.

ninjs and NewsML-G2 give headline, dates, dateline (located), source, byline,
subjects (as categories), language and id; HTML bodies pass the site's
sanitizer. Status "withheld" is refused; "canceled" writes nothing and prints
"kill <record>" for the record it withdraws; an embargo still to come makes
the record a draft.

A story that does not parse is reported as "file:line: field: problem" (a
JSON path such as $.headlines[0].value for ninjs) and nothing is written. An
existing record is never replaced without --force. The slug comes from the
headline.

Options:
  --dir <dir>           records folder (default: items)
  --slug <slug>         the file name instead of one derived from the headline
  --category <name>     a category; repeat for more
  --source <name>       the agency, when the story names none (or to replace it)
  --year <YYYY>         the dateline's year (wire text only)
  --date <YYYY-MM-DD>   the dateline's full date (wire text only; must match its month and day)
  --force               replace an existing record with the same slug
${CONFIG_HELP}
  -h, --help            show this help

Exit status: 0 written, 1 story not parsed, refused, a kill, or record exists; 2 usage error.

Example:
  wirefeed import story.txt --year 2022 --category Diplomacy`,
  options: {
    ...CONFIG_OPTION,
    dir: { type: "string" },
    slug: { type: "string" },
    category: { type: "string", multiple: true },
    source: { type: "string" },
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
    const sourceArg = stringOption(args, "source");
    if (sourceArg !== undefined && collapseWhitespace(sourceArg) === "") throw new UsageError("--source is empty");
    const dirArg = stringOption(args, "dir") ?? "items";
    const site = await loadSite(io, args);
    const dir = await existingDirectory(io, dirArg, "--dir");
    const label = input === "-" ? "(stdin)" : input;
    const store = directoryStore(dir, dirArg);

    let text: string;
    try {
      text = decodeDocument(label, await readInput(io, input));
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      io.err(error.message);
      return EXIT.findings;
    }
    const kind = documentKind(text);
    let plan: RecordPlan;
    if (kind === "plain text") {
      const planned = wirePlan(label, text, choice, localDate(io.now(), site.timeZone), site.language);
      if ("problem" in planned) {
        io.err(planned.problem);
        return EXIT.findings;
      }
      plan = planned;
    } else {
      if (!("infer" in choice)) throw new UsageError(`--year and --date are for wire text; this ${kind} document gives full dates`);
      const outcome = structuredOutcome(label, kind, text, site, io.now());
      if (outcome.kind === "refused") {
        io.err(outcome.message);
        return EXIT.findings;
      }
      if (outcome.kind === "kill") return reportKill(io, store, dirArg, site, outcome.story, outcome.message, slugArg);
      plan = outcome.plan;
    }
    for (const note of plan.notes) io.err(note);

    const slug = slugArg ?? planSlug(plan);
    const name = `${slug}.md`;
    const target = recordLabel(dirArg, name);
    // Checked, then written by rename: a record created in between by someone else would be replaced;
    // the store has no create-only write, and two people importing one story at once is no real case.
    const exists = (await store.read(name)) !== undefined;
    if (exists && !flagOption(args, "force")) {
      io.err(`import: ${target} already exists; pass --force to replace it, or --slug to choose another name`);
      return EXIT.findings;
    }
    const body = planBody(plan, new URL(`items/${slug}`, site.baseUrl).href);
    if (body instanceof RecordError) {
      io.err(body.message);
      return EXIT.findings;
    }
    const fields = { ...plan.fields };
    if (sourceArg !== undefined) fields.source = collapseWhitespace(sourceArg);
    if (categories.length) fields.categories = [...new Set([...((fields.categories as string[] | undefined) ?? []), ...categories])];
    const recordFile = planRecordText(plan, body, fields);
    if (!(await writeValidRecord(io, store, name, target, recordFile, site))) return EXIT.findings;
    io.out(target);
    if (exists) io.err(`import: replaced ${target} (--force)`);
    return EXIT.ok;
  },
};

/**
 * A canceled document: nothing is written. The record it withdraws is the
 * one carrying the document's id, else the one at --slug or the headline's
 * slug; stdout gets "kill <record>" so a script can act on it.
 */
async function reportKill(io: CliIo, store: WritableRecordStore, dirArg: string, site: SiteConfig, story: ImportedStory, message: string, slugArg: string | undefined): Promise<number> {
  let name: string | undefined;
  if (story.id && slugArg === undefined) {
    for (const candidate of (await store.list()).sort()) {
      const bytes = await store.read(candidate);
      if (!bytes) continue;
      const parsed = parseRecord(recordLabel(dirArg, candidate), bytes, site);
      if (parsed.ok && "article" in parsed && parsed.article.id === story.id) {
        name = candidate;
        break;
      }
    }
  }
  name ??= `${slugArg ?? slugify(story.title)}.md`;
  const target = recordLabel(dirArg, name);
  if (name === ".md" || (await store.read(name)) === undefined) {
    io.err(`${message}; no record in ${dirArg} carries it${story.id ? ` (id ${story.id})` : ""}: nothing to withdraw`);
    return EXIT.findings;
  }
  io.err(`${message}; nothing written: withdraw ${target} (delete it: the site then answers 410 Gone and lists it as withdrawn)`);
  io.out(`kill ${target}`);
  return EXIT.findings;
}
