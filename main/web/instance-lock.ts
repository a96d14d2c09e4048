/**
 * One browser-mode studio per data folder: two servers over one runs folder would train into it
 * side by side and each show a stale list. The lock is a small JSON file in the data root naming
 * the process and, once it listens, its launch URL, so a second `npm start` can say where the
 * first one is (as `jupyter server list` does). A lock left by a process that no longer exists
 * is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic';

const LOCK_NAME = 'browser-mode.lock.json';

const LockSchema = z.object({ pid: z.number().int().positive(), launchUrl: z.string().nullable() });
type LockContent = z.infer<typeof LockSchema>;

/** Someone else holds the lock: their pid and, once they listen, where. */
export interface HeldElsewhere {
  pid: number;
  launchUrl: string | null;
}

export interface InstanceLock {
  /** Records the URL for a second start to report. */
  publish(launchUrl: string): Promise<void>;
  /** Removes the lock if it is still ours. */
  release(): Promise<void>;
}

/** Takes the lock, or says who holds it. */
export async function acquireInstanceLock(dataRoot: string, pid: number = process.pid): Promise<InstanceLock | HeldElsewhere> {
  const file = path.join(dataRoot, LOCK_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(file, { pid, launchUrl: null })) return ownLock(file, pid);
    const holder = await readLock(file);
    if (holder && holder.pid !== pid && isAlive(holder.pid)) return holder;
    await rm(file, { force: true }); // stale (the process is gone) or unreadable: take it over
  }
  throw new Error(`Could not take ${file}: another LSTM Studio keeps replacing it`);
}

/** True when `acquireInstanceLock` answered with another holder. */
export function isHeldElsewhere(result: InstanceLock | HeldElsewhere): result is HeldElsewhere {
  return 'pid' in result;
}

function ownLock(file: string, pid: number): InstanceLock {
  return {
    // 0600: the URL carries the launch token.
    publish: (launchUrl) => writeFileAtomic(file, JSON.stringify({ pid, launchUrl }), 0o600),
    release: async () => {
      const holder = await readLock(file);
      if (holder?.pid === pid) await rm(file, { force: true });
    },
  };
}

async function createExclusive(file: string, content: LockContent): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(content));
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function readLock(file: string): Promise<LockContent | null> {
  try {
    const parsed = LockSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // gone, or caught half-written by a crash: treated as stale
  }
}

/** Signal 0 checks that the process exists; EPERM means it does, under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
