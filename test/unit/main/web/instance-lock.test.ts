import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, isHeldElsewhere } from '../../../../main/web/instance-lock';
import type { InstanceLock } from '../../../../main/web/instance-lock';

let root: string;
const lockFile = () => path.join(root, 'browser-mode.lock.json');

beforeEach(() => void (root = mkdtempSync(path.join(tmpdir(), 'instance-lock-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A pid that certainly belongs to no running process: one that has just exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('acquireInstanceLock', () => {
  it('takes a free lock, publishes the URL and releases it', async () => {
    const lock = (await acquireInstanceLock(root)) as InstanceLock;
    expect(isHeldElsewhere(lock)).toBe(false);
    await lock.publish('http://127.0.0.1:1/?token=t');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({ pid: process.pid, launchUrl: 'http://127.0.0.1:1/?token=t' });
    if (process.platform !== 'win32') expect(statSync(lockFile()).mode & 0o077).toBe(0); // it holds the token
    await lock.release();
    await expect(acquireInstanceLock(root)).resolves.not.toHaveProperty('pid');
  });

  it('says who holds it while that process lives', async () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: process.ppid, launchUrl: 'http://127.0.0.1:2/?token=u' }));
    expect(await acquireInstanceLock(root)).toEqual({ pid: process.ppid, launchUrl: 'http://127.0.0.1:2/?token=u' });
  });

  it('takes over a lock whose process is gone, or that a crash left unreadable', async () => {
    for (const content of [JSON.stringify({ pid: deadPid(), launchUrl: null }), '{"pid":', '']) {
      writeFileSync(lockFile(), content);
      const lock = await acquireInstanceLock(root);
      expect(isHeldElsewhere(lock)).toBe(false);
      await (lock as InstanceLock).release();
    }
  });

  it('does not remove a lock that another process took over meanwhile', async () => {
    const lock = (await acquireInstanceLock(root)) as InstanceLock;
    writeFileSync(lockFile(), JSON.stringify({ pid: process.ppid, launchUrl: null }));
    await lock.release();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.ppid });
  });
});
