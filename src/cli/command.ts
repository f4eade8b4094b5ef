import type { OptionSpecs, ParsedArgs } from "./args.js";
import type { CliIo } from "./io.js";

/** One `wirefeed <name>` command; the dispatcher parses its options and handles --help. */
export interface Command {
  name: string;
  /** Arguments as shown in the command list, e.g. "[dir]". */
  synopsis: string;
  summary: string;
  /** The full --help text. */
  help: string;
  options: OptionSpecs;
  /** Resolves to the exit status (see EXIT). */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
