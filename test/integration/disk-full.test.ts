/**
 * A real disk that fills up, then turns read-only: a 64 MB tmpfs holding the data root. Root
 * ignores permission bits, so chmod cannot make a folder unwritable for these tests; a full or
 * read-only filesystem refuses root too. Mounting needs root (or CAP_SYS_ADMIN): elsewhere the
 * tests are skipped, and test/unit/main/store/store.test.ts still covers the ENOTDIR case.
 */
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError, toWireError } from '../../common/errors';
import { CACHE_FILE_NAME, readCache, writeCache } from '../../main/engine/data/cache';
import { loadDataset } from '../../main/engine/data/dataset';
import type { ModelFiles } from '../../main/store/store';
import { RunStore } from '../../main/store/store';
import { SweepStore } from '../../main/store/sweep-store';
import { makeSweepState } from '../unit/main/store/sweep-fixtures';
import { makeFiles, makeRecord } from '../unit/main/engine/run-fixtures';
import { canMountTmpfs, fillDisk, mountTmpfs, remountReadOnly, removeQuietly, unmount } from './fault-helpers';

const outer = await mkdtemp(path.join(os.tmpdir(), 'lstm-diskfull-'));
const probe = path.join(outer, 'probe');
await mkdir(probe);
const isMountable = canMountTmpfs(probe);
const disk = path.join(outer, 'disk');
const runsDir = path.join(disk, 'runs');
const dataDir = path.join(disk, 'data');
const cachePath = path.join(dataDir, CACHE_FILE_NAME);
const sweeps = new SweepStore(path.join(disk, 'sweeps'));

/** A sweep state far bigger than what a full disk has left: 400 trials with long curves. */
function bigSweep(): ReturnType<typeof makeSweepState> {
  const state = makeSweepState('sweep-good', { name: 'replacement' });
  const validation = Array.from({ length: 200 }, (_, i) => ({ iteration: i * 10, accuracy: 0.5 }));
  state.trials = Array.from({ length: 400 }, (_, index) => ({ ...state.trials[0], index, validation }));
  return state;
}

async function expectSweepIntact(): Promise<void> {
  expect((await sweeps.load('sweep-good')).name).toBe('fixture');
  expect((await readdir(path.join(disk, 'sweeps'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
}

/** 64 KB of weights: more than a full disk has room for, so the write fails part-way. */
function bigFiles(fill: number): ModelFiles {
  const count = 16_384;
  const weights = new Uint8Array(new Float32Array(count).fill(fill).buffer);
  const manifest = [{ paths: ['./weights.bin' as const], weights: [{ name: 'w', shape: [count], dtype: 'float32' as const }] }];
  return { modelJson: { format: 'layers-model', modelTopology: {}, weightsManifest: manifest }, weights };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

/** Only what the test put there: no temp files, no half-made run folders. */
async function expectNoDebris(): Promise<void> {
  expect((await readdir(runsDir)).sort()).toEqual(['r-good']);
  expect((await readdir(path.join(runsDir, 'r-good'))).sort()).toEqual(['model.json', 'run.json', 'weights.bin']);
  expect(await readdir(dataDir)).toEqual([CACHE_FILE_NAME]);
}

async function expectGoodStateIntact(): Promise<void> {
  const store = new RunStore(runsDir);
  expect((await store.list()).map((r) => r.runId)).toEqual(['r-good']);
  expect((await store.loadRecord('r-good')).name).toBe('run r-good');
  expect(new Float32Array((await store.loadModelFiles('r-good')).weights.slice().buffer)[0]).toBe(7);
  expect((await readCache(cachePath)).ok).toBe(true);
}

afterAll(async () => {
  unmount(disk);
  await removeQuietly(outer);
});

describe.skipIf(!isMountable)('on a real 64 MB tmpfs (skipped where mounting is not permitted)', () => {
  beforeAll(async () => {
    await mkdir(disk);
    mountTmpfs(disk, 64);
    await new RunStore(runsDir).saveRun(makeRecord('r-good'), makeFiles(7));
    await sweeps.save(makeSweepState('sweep-good'));
    await loadDataset({ dataDir }); // writes the 55 MB cache onto the small disk
    await mkdir(path.join(disk, 'filler'));
    expect(await fillDisk(path.join(disk, 'filler', 'blob'))).toBeGreaterThan(0);
  });

  describe('when the disk is full', () => {
    it('saveRun fails with a disk error saying the disk is full, leaving no partial files', async () => {
      const err = await rejection(new RunStore(runsDir).saveRun(makeRecord('r-new'), bigFiles(1)));
      expect(err).toBeInstanceOf(StudioError);
      expect(err).toMatchObject({ code: 'disk', message: expect.stringMatching(/^The disk is full\b.*Nothing was half-written\.$/) });
      await expectNoDebris();
      await expectGoodStateIntact();
    });

    it('re-saving an existing run fails the same way and keeps the old copy', async () => {
      const err = await rejection(new RunStore(runsDir).saveRun(makeRecord('r-good', { name: 'replacement' }), bigFiles(9)));
      expect(err).toMatchObject({ code: 'disk', message: expect.stringMatching(/disk is full/) });
      await expectNoDebris();
      await expectGoodStateIntact();
    });

    it('saving a sweep fails with a disk error and keeps the previous state file whole', async () => {
      const err = await rejection(sweeps.save(bigSweep()));
      expect(err).toMatchObject({ code: 'disk', message: expect.stringMatching(/disk is full/) });
      await expectSweepIntact();
    });

    it('writeCache fails with ENOSPC (a disk error, "the disk is full"), keeps the old cache and leaves no temp file', async () => {
      const cached = await readCache(cachePath);
      if (!cached.ok) throw new Error(cached.detail);
      const before = await readFile(cachePath);
      // cache.ts passes fs errors through by design; callers map them with toWireError.
      const err = await rejection(writeCache(cachePath, { ...cached.data, sourceDigest: new Uint8Array(32) }));
      expect(err).toMatchObject({ code: 'ENOSPC' });
      expect(toWireError(err)).toMatchObject({ code: 'disk', message: expect.stringMatching(/^The disk is full/) });
      expect(Buffer.compare(await readFile(cachePath), before)).toBe(0);
      await expectNoDebris();
    });

    it('loadDataset still succeeds when the cache cannot be written: only a warning that the disk is full', async () => {
      const emptyDataDir = path.join(disk, 'data-2');
      await mkdir(emptyDataDir);
      const warnings: string[] = [];
      const dataset = await loadDataset({ dataDir: emptyDataDir, onWarning: (message) => warnings.push(message) });
      expect(dataset.test.count).toBe(10_000);
      expect(dataset.status.isCached).toBe(false);
      expect(warnings).toEqual([expect.stringMatching(/^Could not write the dataset cache: The disk is full/)]);
      expect(await readdir(emptyDataDir)).toEqual([]);
    });
  });

  describe('when the disk turns read-only', () => {
    beforeAll(() => remountReadOnly(disk));

    it('saveRun fails, writing nothing; listing and loading still work', async () => {
      await rejection(new RunStore(runsDir).saveRun(makeRecord('r-ro'), makeFiles(1)));
      await expectGoodStateIntact();
      await expectNoDebris();
    });

    // Node 20's recursive mkdir reports ENOENT, not EROFS, on a read-only filesystem; the store
    // creates its temp folder with a plain mkdir so that the person hears "read-only disk".
    it('saving a sweep fails with a disk error; the sweep still loads', async () => {
      const err = await rejection(sweeps.save(makeSweepState('sweep-good', { name: 'new' })));
      expect(err).toMatchObject({ code: 'disk', message: expect.stringMatching(/read-only/) });
      await expectSweepIntact();
    });

    it('saveRun reports the read-only disk as a disk error', async () => {
      const err = await rejection(new RunStore(runsDir).saveRun(makeRecord('r-ro'), makeFiles(1)));
      expect(err).toMatchObject({ code: 'disk', message: expect.stringMatching(/read-only disk/) });
    });

    it('loadDataset serves the existing cache, and without one warns that the disk is read-only', async () => {
      expect((await loadDataset({ dataDir })).status.isCached).toBe(true);
      const warnings: string[] = [];
      const dataset = await loadDataset({ dataDir: path.join(disk, 'data-2'), onWarning: (message) => warnings.push(message) });
      expect(dataset.test.count).toBe(10_000);
      expect(warnings).toEqual([expect.stringMatching(/^Could not write the dataset cache: The data folder is on a read-only disk/)]);
    });

    it('deleteRun fails with a disk error and the run stays', async () => {
      const err = await rejection(new RunStore(runsDir).deleteRun('r-good'));
      expect(err).toMatchObject({ code: 'disk', message: expect.stringMatching(/read-only/) });
      await expectGoodStateIntact();
    });
  });
});
