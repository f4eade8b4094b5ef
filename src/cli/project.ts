import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { SiteConfig } from "../core/config.js";
import { loadSiteConfig } from "../runtime/site-config-file.js";
import { listOption, stringOption, type OptionSpecs, type ParsedArgs } from "./args.js";
import { collapseWhitespace } from "../core/text.js";
import { UsageError, type CliIo } from "./io.js";

/** The option every command has: which site config to read. */
export const CONFIG_OPTION: OptionSpecs = { config: { type: "string" } };
export const CONFIG_HELP = `  --config <file>    site config (default: $WIREFEED_CONFIG or site.config.json)`;

/** A user-facing failure that is not a usage error: printed as it is, exit 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** The site config named by --config, like the server reads it (WIREFEED_CONFIG, then site.config.json). */
export async function loadSite(io: CliIo, args: ParsedArgs, siteUrl?: string): Promise<SiteConfig> {
  const given = stringOption(args, "config") ?? io.env.WIREFEED_CONFIG ?? "site.config.json";
  try {
    return await loadSiteConfig(resolve(io.cwd, given), siteUrl);
  } catch (error) {
    if (isMissing(error)) throw new UsageError(`no site config at ${given} (run in the site's folder, or pass --config)`);
    if (error instanceof ConfigError) throw new CommandError(error.message);
    if (error instanceof Error && error.message.startsWith(resolve(io.cwd, given))) {
      throw new CommandError(error.message.replace(resolve(io.cwd, given), given));
    }
    throw error;
  }
}

/** The absolute path of a directory named on the command line; a usage error when there is none. */
export async function existingDirectory(io: CliIo, given: string, what: string): Promise<string> {
  const path = resolve(io.cwd, given);
  const info = await stat(path).catch((error: unknown) => {
    if (isMissing(error)) return undefined;
    throw error;
  });
  if (!info) throw new UsageError(`${what} ${given} does not exist`);
  if (!info.isDirectory()) throw new UsageError(`${what} ${given} is not a directory`);
  return path;
}

/** The bytes of a file named on the command line, "-" meaning standard input. */
export async function readInput(io: CliIo, given: string): Promise<Uint8Array> {
  if (given === "-") return io.readStdin();
  try {
    return new Uint8Array(await readFile(resolve(io.cwd, given)));
  } catch (error) {
    if (isMissing(error)) throw new UsageError(`${given} does not exist`);
    if ((error as NodeJS.ErrnoException).code === "EISDIR") throw new UsageError(`${given} is a directory, not a file`);
    throw error;
  }
}

/** How a record in `dirArg` is named in messages and output: "items/foo.md", as the user wrote the folder. */
export function recordLabel(dirArg: string, name: string): string {
  return `${dirArg.replace(/\/+$/, "") || "."}/${name}`;
}

/** The --category values, white space collapsed as the record parser will; an empty one is a usage error. */
export function categoryList(args: ParsedArgs): string[] {
  const categories = listOption(args, "category").map(collapseWhitespace);
  if (categories.includes("")) throw new UsageError("--category is empty");
  return categories;
}
