import { randomBytes } from "node:crypto";
import { open, readdir, rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { isNoSpace, StorageFullError } from "./storage-full-error.js";

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The temporary files of atomic writes: `.wirefeed.<pid>.<12 hex>.tmp`. A
 * dot-file (never a record), of fixed length whatever the target's name (a
 * long record name cannot make it too long), naming the writing process so
 * that start-up cleaning can tell a dead writer's leftovers from a live one's.
 */
const TEMP_FILE = /^\.wirefeed\.(\d+)\.[0-9a-f]{12}\.tmp$/;
/** What versions before the one above left behind: `.<target name>.<12 hex>.tmp`. */
const OLD_TEMP_FILE = /^\.(?:[^/]+\.md|\.tombstones\.json)\.[0-9a-f]{12}\.tmp$/;

function tempName(): string {
  return `.wirefeed.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
}

/**
 * Replaces `path` whole: the bytes go to a temporary file in the same
 * directory, are fsynced, renamed over the target (atomic on POSIX) and the
 * directory is fsynced so the rename survives a crash. A reader, or a crash at
 * any moment, sees the old file or the new one, never a mix. When it rejects,
 * the old file is still in place (StorageFullError: no space left), except
 * when only the final directory sync failed: the new file may then be visible
 * but is not known to be durable, and the caller must say so.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, tempName());
  try {
    const handle = await open(temp, "wx", 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw isNoSpace(error) ? new StorageFullError(path, { cause: error }) : error;
  }
  await syncDir(dir);
}

/** Removes `path` durably; resolves false when it did not exist. */
export async function removeFileDurably(path: string): Promise<boolean> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  await syncDir(dirname(path));
  return true;
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
function processRuns(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Deletes the temporary files that writers killed mid-write (kill -9, power
 * loss) left in `dir`: only names of the pattern above whose writer no longer
 * runs (a write by this process cannot be under way at start-up), so a CLI
 * writing at the same moment keeps its file. Any other file is left alone.
 * Resolves the names removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const ours = TEMP_FILE.exec(entry.name);
    const stale = ours ? !processRuns(Number(ours[1])) : OLD_TEMP_FILE.test(entry.name);
    if (!stale) continue;
    try {
      await unlink(join(dir, entry.name));
      removed.push(entry.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  if (removed.length > 0) await syncDir(dir);
  return removed;
}
