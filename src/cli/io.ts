/**
 * What a command may touch of the outside world, passed in so tests can run
 * commands in-process with a fake clock, captured output and a temp folder.
 * Only src/cli/main.ts builds the real one from `process`.
 */
export interface CliIo {
  /** Writes one line of results (paths written, problems found) to stdout. */
  out(line: string): void;
  /** Writes one line of commentary (notes, summaries, errors) to stderr. */
  err(line: string): void;
  /** Relative paths on the command line are resolved against this. */
  cwd: string;
  now(): Date;
  env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<Uint8Array>;
}

export const EXIT = {
  ok: 0,
  /** Problems in the content: invalid records, a story that does not parse, a refused overwrite. */
  findings: 1,
  /** The command line is wrong: unknown command or option, bad value, a path that does not exist. */
  usage: 2,
} as const;

/** Thrown for a wrong command line; the dispatcher prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
