/**
 * The folder operations the model store is built on (an atomic swap, an fsynced copy) and the
 * way their failures read: failed writes become 'disk' errors a person can act on, failed reads
 * of a run's files become 'model-corrupt' naming the file.
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { StudioError, describeDiskError } from '../../common/errors';
import { isTempName, tempSibling, writeFileAtomic } from './atomic';

/** The engine's resumable state inside a run folder. */
export const CHECKPOINT = 'checkpoint';
/** A run's old copy while a save replaces it, `.<runId>.<12 hex>.aside.tmp`; group 1 is the run id. */
export const ASIDE_NAME = /^\.(.+)\.[0-9a-f]{12}\.aside\.tmp$/;

/** Errnos that mean "this folder cannot be written", whatever the operation. */
const WRITE_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO']);
/** A file sits where a folder is needed: the runs folder (or a parent) is a plain file. */
const NOT_A_FOLDER_ERRNOS = new Set(['ENOTDIR', 'EEXIST']);

/** The errno code of a Node error, or undefined. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A failed store write as a StudioError: 'disk' for disk and folder problems, else unchanged. */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StudioError) return err;
  const errno = errnoOf(err);
  if (errno === undefined) return err;
  const nodeErr = err as NodeJS.ErrnoException;
  if (WRITE_ERRNOS.has(errno)) return new StudioError('disk', describeDiskError(nodeErr));
  if (NOT_A_FOLDER_ERRNOS.has(errno)) {
    const where = nodeErr.path ? ` ${nodeErr.path}` : '';
    const advice = 'Choose another folder. Nothing was written.';
    return new StudioError('disk', `Cannot create the folder${where}: a file is in the way. ${advice}`);
  }
  return err;
}

/** A failed read of a run's file: missing or unreadable → 'model-corrupt', disk trouble → 'disk'. */
export function readError(err: unknown, label: string): StudioError {
  switch (errnoOf(err)) {
    case 'ENOENT':
      return new StudioError('model-corrupt', `${label}: missing`);
    case 'EISDIR':
      return new StudioError('model-corrupt', `${label}: is a folder, expected a file`);
    case 'EACCES':
    case 'EPERM':
      return new StudioError('disk', `${label}: no permission to read it`);
    case 'EIO':
      return new StudioError('disk', `${label}: the disk reported a read error`);
    default:
      return new StudioError('internal', `${label}: cannot read it (${(err as Error).message})`);
  }
}

/** Renames `temp` to `target`, setting an existing `target` aside first and keeping its checkpoint/. */
export async function swapInto(temp: string, target: string): Promise<void> {
  const aside = tempSibling(target).replace(/\.tmp$/, '.aside.tmp');
  const hadOld = await rename(target, aside).then(
    () => true,
    (err: unknown) => {
      if (errnoOf(err) === 'ENOENT') return false;
      throw err;
    },
  );
  try {
    await rename(temp, target);
  } catch (err) {
    if (hadOld) await rename(aside, target).catch(() => undefined);
    throw err;
  }
  if (hadOld) {
    // The checkpoint belongs to the engine (it resumes runs): a re-save must not drop it.
    await rename(path.join(aside, CHECKPOINT), path.join(target, CHECKPOINT)).catch(() => undefined);
    await rm(aside, { recursive: true, force: true }).catch(() => undefined);
  }
  await syncDir(path.dirname(target));
}

/** Copies a folder tree, fsyncing every file; skips hidden temp files. */
export async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (isTempName(entry.name)) continue;
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) await copyTree(source, path.join(to, entry.name));
    else if (entry.isFile()) await writeFileAtomic(path.join(to, entry.name), await readFile(source));
  }
}

/** A file of a folder tree: its `/`-separated path inside the tree, and its bytes. */
export interface TreeFile {
  name: string;
  data: Uint8Array;
}

/** Reads a folder tree into memory, skipping hidden temp files (runs are hundreds of kB). */
export async function readTree(dir: string, prefix = ''): Promise<TreeFile[]> {
  const files: TreeFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (isTempName(entry.name)) continue;
    const source = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await readTree(source, `${prefix}${entry.name}/`)));
    else if (entry.isFile()) files.push({ name: `${prefix}${entry.name}`, data: new Uint8Array(await readFile(source)) });
  }
  return files;
}

/** Makes a rename durable. Best effort: Windows cannot open a folder to fsync it. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename itself is still atomic; only its durability across a power cut is weaker.
  }
}
