import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { latestPerId, parseTombstones, serialiseTombstones, type Tombstone } from "../core/tombstone.js";
import { writeFileAtomic } from "./atomic-file.js";

/** Where a directory of records keeps its tombstones: beside them, committed with them (they are content). */
export const TOMBSTONES_FILE = ".tombstones.json";

interface Pending {
  change: (set: Map<string, Tombstone>) => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The tombstones of a records directory, in `<dir>/.tombstones.json`, keyed by
 * article id. `list()` is exactly what the file holds once pending commits
 * settle: a change is applied here only after the file holding it has been
 * written whole and fsynced (atomic-file.ts), and a failed write changes
 * nothing. Writes never overlap: changes that arrive while one is being
 * written are written together in the next one (so 40 concurrent deletions
 * cost a few writes, and an older set can never land after a newer one).
 * Knows nothing of a tombstone's fields beyond `id`.
 */
export class TombstoneFile {
  private entries = new Map<string, Tombstone>();
  private queued: Pending[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(private readonly path: string) {}

  /**
   * Reads the file (missing: no tombstones). One that is not valid JSON is
   * renamed aside to `<name>.invalid-<ms>` (reported through `onInvalid`), so
   * the next write cannot destroy what a person may still repair; any other
   * read error (permissions, I/O) rejects: starting without the tombstones
   * would lose them at the next write.
   */
  static async open(dir: string, options: { now: () => Date; onInvalid: (movedTo: string) => void }): Promise<TombstoneFile> {
    const file = new TombstoneFile(join(dir, TOMBSTONES_FILE));
    let text: string;
    try {
      text = await readFile(file.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return file;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const aside = `${file.path}.invalid-${options.now().getTime()}`;
      await rename(file.path, aside);
      options.onInvalid(aside);
      return file;
    }
    for (const t of latestPerId(parseTombstones(json))) file.entries.set(t.id, t);
    return file;
  }

  list(): Tombstone[] {
    return [...this.entries.values()];
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Resolves once `change` (applied to a copy of the set) is durably on disk; rejects, changing nothing, when writing fails. */
  commit(change: (set: Map<string, Tombstone>) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ change, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves when no write is pending. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Set to undefined in the same turn that finds the queue empty, so a commit never waits on a flush that has ended. */
  private async flush(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0);
      const next = new Map(this.entries);
      for (const p of batch) p.change(next);
      try {
        await writeFileAtomic(this.path, new TextEncoder().encode(serialiseTombstones([...next.values()])));
        this.entries = next;
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.flushing = undefined;
  }
}

/**
 * The tombstones of a records folder, for the builds (static site, Worker
 * data), read as the Node server reads them: no file is no
 * tombstones, one per id; a file that is not JSON is reported in `problem`
 * (the server then starts without tombstones, and so do the builds that go on).
 */
export async function readTombstonesFile(dir: string, label = dir): Promise<{ tombstones: Tombstone[]; problem?: string }> {
  const path = join(dir, TOMBSTONES_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { tombstones: [] };
    throw error;
  }
  try {
    return { tombstones: latestPerId(parseTombstones(JSON.parse(text))) };
  } catch {
    return { tombstones: [], problem: `${label.replace(/\/+$/, "")}/${TOMBSTONES_FILE}: not valid JSON; no tombstones read` };
  }
}
