import { localDate } from "../core/dates.js";
import { decodeRecordBytes, slugOfFile, slugProblem } from "../core/record.js";
import { collapseWhitespace, stripForbiddenXmlChars } from "../core/text.js";
import { directoryStore } from "../storage/fs-dir.js";
import { flagOption, stringOption } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./io.js";
import { CONFIG_HELP, CONFIG_OPTION, categoryList, existingDirectory, loadSite, readInput, recordLabel } from "./project.js";
import { isoInZone, recordText, writeValidRecord } from "./record-file.js";
import { freeSlug, slugify } from "./slug.js";

/** What a fresh draft says until the reporter writes the story; it keeps the record valid. */
export const PLACEHOLDER_BODY = "Write the story here: one paragraph per block, a blank line between paragraphs.";

export const newRecord: Command = {
  name: "new",
  synopsis: '"<title>"',
  summary: "start a new record (a draft) with a free slug from the title",
  help: `Usage: wirefeed new "<title>" [options]

Writes <dir>/<slug>.md with the title, published = now in the site's time
zone, and a body. The slug comes from the title (accents dropped, lower-case
ASCII); when it is taken, -2, -3… is added.

The record is a draft (draft: true): it validates, but appears in no feed or
page until an editor removes that line. Without --body its body is a
placeholder to replace. Prints the path of the new file.

Options:
  --dir <dir>           records folder (default: items)
  --slug <slug>         the file name instead of one derived from the title
  --body <text>         the body (Markdown); "-" reads it from standard input
  --category <name>     a category; repeat for more
  --publish             no draft: publish at once (needs --body)
${CONFIG_HELP}
  -h, --help            show this help

Exit status: 0 written, 1 refused (slug taken, invalid record), 2 usage error.

Example:
  wirefeed new "Kuwait keeps crude output steady" --category Energy`,
  options: {
    ...CONFIG_OPTION,
    dir: { type: "string" },
    slug: { type: "string" },
    body: { type: "string" },
    category: { type: "string", multiple: true },
    publish: { type: "boolean" },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('takes one title, in quotes: wirefeed new "<title>"');
    const title = collapseWhitespace(stripForbiddenXmlChars(args.positionals[0]!));
    if (title === "") throw new UsageError("the title is empty");
    const slugArg = stringOption(args, "slug");
    const slugIssue = slugArg === undefined ? undefined : slugProblem(slugArg);
    if (slugIssue) throw new UsageError(`--slug ${slugIssue}`);
    const bodyArg = stringOption(args, "body");
    const publish = flagOption(args, "publish");
    if (publish && bodyArg === undefined) throw new UsageError("--publish needs --body: a placeholder must not go live");
    const categories = categoryList(args);
    const dirArg = stringOption(args, "dir") ?? "items";
    const site = await loadSite(io, args);
    const dir = await existingDirectory(io, dirArg, "--dir");

    const body =
      bodyArg === "-"
        ? decodeRecordBytes("standard input", await readInput(io, "-"))
        : bodyArg ?? PLACEHOLDER_BODY;
    if (body.trim() === "") throw new UsageError("--body is empty");

    const store = directoryStore(dir, dirArg);
    const taken = new Set((await store.list()).map(slugOfFile));
    const now = io.now();
    let slug: string;
    if (slugArg !== undefined) {
      // An explicit name is never changed behind the user's back.
      if (taken.has(slugArg)) {
        io.err(`new: ${recordLabel(dirArg, `${slugArg}.md`)} already exists; choose another --slug`);
        return EXIT.findings;
      }
      slug = slugArg;
    } else {
      slug = freeSlug(slugify(title) || `story-${localDate(now, site.timeZone)}`, taken);
    }

    const text = recordText(
      {
        title,
        ...(publish ? {} : { draft: true }),
        published: isoInZone(now, site.timeZone),
        ...(categories.length ? { categories } : {}),
      },
      body,
    );
    const name = `${slug}.md`;
    const label = recordLabel(dirArg, name);
    if (!(await writeValidRecord(io, store, name, label, text, site))) return EXIT.findings;
    io.out(label);
    if (!publish) {
      io.err(`new: wrote a draft${bodyArg === undefined ? " with a placeholder body" : ""}; remove "draft: true" from ${label} to publish`);
    }
    return EXIT.ok;
  },
};
