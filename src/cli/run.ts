import { parseCommandArgs } from "./args.js";
import { build } from "./build.js";
import { db } from "./db.js";
import type { Command } from "./command.js";
import { importStory } from "./import.js";
import { EXIT, UsageError, type CliIo } from "./io.js";
import { newRecord } from "./new.js";
import { CommandError } from "./project.js";
import { validate } from "./validate.js";

export const COMMANDS: readonly Command[] = [validate, newRecord, importStory, build, db];

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.synopsis}`.length));
  const list = COMMANDS.map((c) => `  ${`${c.name} ${c.synopsis}`.padEnd(width)}   ${c.summary}`).join("\n");
  return `Usage: wirefeed <command> [options]

Publishes news-wire article records (items/*.md) as RSS, Atom and JSON Feed.

Commands:
${list}

Run "wirefeed <command> --help" for a command's options.
Exit status: 0 ok, 1 problems found (invalid records, a story that does not
parse, a refused overwrite), 2 usage error.`;
}

/** Runs one command line (without "node wirefeed") and resolves to its exit status. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(topLevelHelp());
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h") {
    io.out(topLevelHelp());
    return EXIT.ok;
  }
  if (name === "help") {
    const topic = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && !topic) {
      io.err(`wirefeed: no command "${rest[0]}"; commands: ${COMMANDS.map((c) => c.name).join(", ")}`);
      return EXIT.usage;
    }
    io.out(topic ? topic.help : topLevelHelp());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`wirefeed: no command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(", ")}`);
    io.err(`Run "wirefeed --help" for usage.`);
    return EXIT.usage;
  }
  try {
    const args = parseCommandArgs(rest, command.options);
    if (args.values.help === true) {
      io.out(command.help);
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`wirefeed ${command.name}: ${error.message}`);
      io.err(`Run "wirefeed ${command.name} --help" for usage.`);
      return EXIT.usage;
    }
    if (error instanceof CommandError) {
      io.err(error.message);
      return EXIT.findings;
    }
    // Unexpected (a full disk, a permission): say what failed, not a stack trace, and count it as a failure.
    io.err(`wirefeed ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.findings;
  }
}
