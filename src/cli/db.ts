import { resolve } from "node:path";
import { stringOption, type ParsedArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError, type CliIo } from "./io.js";
import { CONFIG_HELP, CONFIG_OPTION, existingDirectory, loadSite } from "./project.js";
import { heldBackNote } from "../runtime/change-log.js";

/** The database file: --db, else WIREFEED_DB (as the server reads it), else wirefeed.db. */
function dbFile(io: CliIo, args: ParsedArgs): string {
  return resolve(io.cwd, stringOption(args, "db") ?? io.env.WIREFEED_DB ?? "wirefeed.db");
}

export const db: Command = {
  name: "db",
  synopsis: "load|dump <dir>",
  summary: "load a records folder into a SQLite database, or dump one back to files",
  help: `Usage: wirefeed db load <dir> [--db <file>] [options]
       wirefeed db dump <dir> [--db <file>] [options]

load: checks every record in dir with the server's own parser (the messages
of "wirefeed validate", on stdout) and loads the valid ones, drafts included,
into the database in one transaction, replacing what it held; one article per
id. The folder's withdrawals (.tombstones.json) and change stamps
(.changes.json) come along. Prints what it skipped.

dump: writes every record of the database to dir as a file, byte for byte as
stored, with .tombstones.json and .changes.json.

A server started with WIREFEED_DB=<file> serves the database and sees a load
from the next request on.

Options:
  --db <file>        the database (default: $WIREFEED_DB or wirefeed.db; created when absent)
${CONFIG_HELP}
  -h, --help         show this help

Exit status: 0 done (load: every record valid), 1 records skipped or a failure, 2 usage error.

Example:
  wirefeed db load items --db wirefeed.db`,
  options: { ...CONFIG_OPTION, db: { type: "string" } },
  async run(args, io) {
    const [action, dirArg, ...extra] = args.positionals;
    if (action !== "load" && action !== "dump") throw new UsageError('needs "load" or "dump"');
    if (dirArg === undefined || extra.length) throw new UsageError(`${action} takes one directory`);
    const site = await loadSite(io, args);
    const file = dbFile(io, args);
    // Loaded here, not at the top: the other commands start without libsql and the SQL store.
    const [{ openSqlStore }, { openLibsql }, { dumpDatabase, loadFolder }] = await Promise.all([
      import("../storage/sql/derive.js"),
      import("../storage/sql/libsql-driver.js"),
      import("../storage/sql/load.js"),
    ]);
    const driver = openLibsql(file);
    try {
      await openSqlStore(driver, site, { now: io.now, log: io.err });
      if (action === "dump") {
        const { records, tombstones } = await dumpDatabase(driver, resolve(io.cwd, dirArg));
        io.err(`db dump: ${records} record${records === 1 ? "" : "s"} and ${tombstones} withdrawal${tombstones === 1 ? "" : "s"} written to ${dirArg}`);
        return EXIT.ok;
      }
      const dir = await existingDirectory(io, dirArg, "directory");
      const result = await loadFolder(driver, site, dir, { label: dirArg, now: io.now(), log: io.err });
      for (const problem of result.problems) io.err(problem);
      for (const error of result.errors) io.out(error.message);
      const skipped = new Set(result.errors.map((e) => e.file)).size;
      io.err(`db load: ${result.articles} article${result.articles === 1 ? "" : "s"} and ${result.drafts} draft${result.drafts === 1 ? "" : "s"} loaded into ${file}; ${skipped} record${skipped === 1 ? "" : "s"} skipped${heldBackNote(result)}`);
      return skipped === 0 ? EXIT.ok : EXIT.findings;
    } finally {
      driver.close();
    }
  },
};
