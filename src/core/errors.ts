/** A problem with one field of one article record: says which file, which field, and (when known) which line. */
export class RecordError extends Error {
  override readonly name = "RecordError";
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${field}: ${problem}`);
  }
}

/** A problem with the site configuration: names the source and the key. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${source}: ${field}: ${problem}`);
  }
}
