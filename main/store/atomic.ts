import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A sibling temp name: same folder, so the final rename is atomic on every OS. */
export function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `target` so that a reader sees either the old file or the whole new one:
 * temp file in the same folder, fsync, rename. The temp file is removed on any failure. `mode`
 * (default 0o666 less the umask) applies from the start, so a private file is never readable.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string, mode = 0o666): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = tempSibling(target);
  try {
    const handle = await open(temp, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * writeFileAtomic, blocking: for the last write of a process that is about to exit (the window's
 * state as it closes), where an await might never resume. Same temp file, fsync and rename.
 */
export function writeFileAtomicSync(target: string, data: Uint8Array | string, mode = 0o666): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempSibling(target);
  try {
    const fd = openSync(temp, 'w', mode);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Temp files left by a process killed mid-write: never trusted, safe to delete. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Temp files younger than this may belong to a write still running in another process (the
 * app and `npm run train` share the data folder); older ones were left by a killed process.
 */
export const STALE_TEMP_MS = 10 * 60_000;

/** Deletes the stale temp siblings of `target` that killed writes left; never throws. */
export async function sweepStaleTemps(target: string, now = Date.now()): Promise<void> {
  const prefix = `.${path.basename(target)}.`;
  const names = await readdir(path.dirname(target)).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(prefix) && isTempName(n))) {
    const file = path.join(path.dirname(target), name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(file, { recursive: true, force: true }).catch(() => undefined);
  }
}
