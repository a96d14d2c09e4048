/**
 * Fault injection for the integration tests: child processes killed with SIGKILL mid-write,
 * small real filesystems (tmpfs) that fill up or turn read-only. No mocks: the code under test
 * runs unchanged, in a real process, against a real kernel.
 */
import { execFileSync, spawn } from 'node:child_process';
import { open, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles a TypeScript snippet (imports resolve from the repository root) into `outFile`, so
 * a plain `node` child can run the real modules.
 */
export async function bundleChild(source: string, outFile: string): Promise<string> {
  await build({
    stdin: { contents: source, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: path.basename(outFile) },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: outFile,
    logLevel: 'silent',
  });
  return outFile;
}

/**
 * Runs `node script ...args`, waits until it prints "ready" (its first write is complete), lets
 * it run on for `delayMs`, then SIGKILLs it: no exit handler, no finally block, no flush.
 */
export function killAfterReady(script: string, args: string[], delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let isKilled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (isKilled || !chunk.toString().includes('ready')) return;
      isKilled = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited on its own (code ${code}): ${stderr}`));
    });
  });
}

/** Names in `dir`, or [] when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/**
 * True when this process may mount a tmpfs (root, or a user namespace granting it). Probed
 * once, synchronously, so tests can `skipIf` on it at collection time.
 */
export function canMountTmpfs(probeDir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probeDir], { stdio: 'ignore' });
    execFileSync('umount', [probeDir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Mounts a tmpfs of `sizeMb` at `dir` (which must exist). */
export function mountTmpfs(dir: string, sizeMb: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'ignore' });
}

/** Makes the filesystem at `dir` read-only in place: every later write fails with EROFS. */
export function remountReadOnly(dir: string): void {
  execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' });
}

/** Unmounts `dir`, lazily if something still holds it, and never throws (cleanup path). */
export function unmount(dir: string): void {
  for (const args of [[dir], ['-l', dir]]) {
    try {
      execFileSync('umount', args, { stdio: 'ignore' });
      return;
    } catch {
      // try the lazy unmount next
    }
  }
}

/** Writes `filler` until the filesystem reports ENOSPC; returns the bytes it took. */
export async function fillDisk(filler: string): Promise<number> {
  const handle = await open(filler, 'w');
  const chunk = new Uint8Array(256 * 1024).fill(0xee);
  let written = 0;
  try {
    for (;;) {
      const { bytesWritten } = await handle.write(chunk);
      written += bytesWritten;
      if (bytesWritten < chunk.byteLength) break;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await handle.close();
  }
  return written;
}

/** Removes a folder tree, ignoring a read-only or already-gone one (cleanup path). */
export async function removeQuietly(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}
