import { parseRecords } from "../core/catalog.js";
import { isHeldBack, visibleFrom } from "../core/embargo.js";
import { directoryStore } from "../storage/fs-dir.js";
import { readAllRecords } from "../storage/load.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./io.js";
import { CONFIG_HELP, CONFIG_OPTION, existingDirectory, loadSite } from "./project.js";

export const validate: Command = {
  name: "validate",
  synopsis: "[dir]",
  summary: "check every record the way the server reads it",
  help: `Usage: wirefeed validate [dir] [options]

Checks every record in dir (default: items) with the server's own parser and
prints each problem as "file:line: field: problem" on stdout: every problem of
every record, and ids used by more than one record. A valid record held back
(an embargo, or a published date to come) is named with the instant the site
shows it from: "file: embargoed until <instant>" (not a problem).

Options:
${CONFIG_HELP}
  -h, --help         show this help

Exit status: 0 all records valid, 1 problems found, 2 usage error.

Example:
  wirefeed validate items`,
  options: { ...CONFIG_OPTION },
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError("takes one directory");
    const dirArg = args.positionals[0] ?? "items";
    const site = await loadSite(io, args);
    const dir = await existingDirectory(io, dirArg, "directory");
    const records = await readAllRecords(directoryStore(dir, dirArg));
    // parseRecords is what the catalog is built from: the same checks, the duplicate-id check included.
    const { articles, errors } = parseRecords(records, site);
    for (const error of errors) io.out(error.message);
    const now = io.now().getTime();
    for (const a of articles) if (isHeldBack(a, now)) io.out(`${a.file}: embargoed until ${new Date(visibleFrom(a)).toISOString()}`);
    const files = new Set(errors.map((e) => e.file)).size;
    io.err(
      errors.length === 0
        ? `validate: ${records.length} record${records.length === 1 ? "" : "s"} in ${dirArg}, all valid`
        : `validate: ${records.length} records in ${dirArg}; ${errors.length} problem${errors.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}`,
    );
    return errors.length === 0 ? EXIT.ok : EXIT.findings;
  },
};
