/**
 * The file system holding the store has no room left (ENOSPC, or a quota:
 * EDQUOT). Thrown by the store before anything changed, so the previous
 * state stands: free space and retry. No `node:*` here: the HTTP layer, which
 * also runs on Workers, maps it to 507.
 */
export class StorageFullError extends Error {
  constructor(
    /** The file that could not be written. */
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`storage full: could not write ${path}`, options);
    this.name = "StorageFullError";
  }
}

/** Whether a system error means "no space left" (or "quota exceeded"). */
export function isNoSpace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}
