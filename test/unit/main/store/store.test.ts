import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../../common/errors';
import { RunStore } from '../../../../main/store/store';
import { makeFiles, makeRecord } from '../engine/run-fixtures';

async function expectStudioError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  expect((err as StudioError).code).toBe(code);
  expect((err as StudioError).message).toMatch(message);
}

/** Makes a hidden folder look old enough for the sweep (older than 10 minutes). */
async function age(folder: string): Promise<void> {
  const old = new Date(Date.now() - 60 * 60_000);
  await utimes(folder, old, old);
}

let root: string;
let store: RunStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'store-test-'));
  store = new RunStore(path.join(root, 'runs'));
});

afterEach(async () => {
  await chmod(root, 0o755).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('RunStore', () => {
  it('pulls in neither TensorFlow nor electron (the main process lists runs with it)', async () => {
    const entry = fileURLToPath(new URL('../../../../main/store/store.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((file) => file.includes('store-schema'))).toBe(true);
    expect(inputs.filter((file) => /@tensorflow|electron/.test(file))).toEqual([]);
  });

  describe('runDir()', () => {
    it('rejects ids that could leave the runs folder', () => {
      for (const bad of ['../x', 'a/b', '..', '.hidden', '', 'a..b']) {
        expect(() => store.runDir(bad)).toThrow(StudioError);
      }
      expect(store.runDir('run-1.a_b')).toBe(path.join(root, 'runs', 'run-1.a_b'));
    });
  });

  describe('saveRun()', () => {
    it('writes run.json, model.json and weights.bin that load back unchanged', async () => {
      const record = makeRecord('r1', {
        test: null,
        history: { train: [{ iteration: 10, loss: Number.NaN, accuracy: 0.1 }], validation: [] },
      });
      await store.saveRun(record, makeFiles(0.5));
      expect((await readdir(path.join(root, 'runs', 'r1'))).sort()).toEqual(['model.json', 'run.json', 'weights.bin']);
      const loaded = await store.loadRecord('r1');
      expect(loaded).toEqual(record);
      expect(Number.isNaN(loaded.history.train[0].loss)).toBe(true);
      const files = await store.loadModelFiles('r1');
      expect(files.modelJson).toEqual(makeFiles().modelJson);
      expect(Array.from(new Float32Array(files.weights.slice().buffer))).toEqual(new Array(9).fill(0.5));
    });

    it('replaces an existing run of the same id, keeps its checkpoint/ and leaves no hidden folders', async () => {
      await store.saveRun(makeRecord('r1', { name: 'first' }), makeFiles(1));
      await mkdir(path.join(root, 'runs', 'r1', 'checkpoint'));
      await writeFile(path.join(root, 'runs', 'r1', 'checkpoint', 'state.bin'), 'x');
      await store.saveRun(makeRecord('r1', { name: 'second' }), makeFiles(2));
      expect((await store.loadRecord('r1')).name).toBe('second');
      expect(new Float32Array((await store.loadModelFiles('r1')).weights.slice().buffer)[0]).toBe(2);
      expect(await readFile(path.join(root, 'runs', 'r1', 'checkpoint', 'state.bin'), 'utf8')).toBe('x');
      expect(await readdir(path.join(root, 'runs'))).toEqual(['r1']);
    });

    it('refuses files whose weights do not match their manifest, writing nothing', async () => {
      const files = { ...makeFiles(), weights: new Uint8Array(10) };
      await expectStudioError(
        store.saveRun(makeRecord('r1'), files),
        'internal',
        /^refusing to save run "r1": r1\/weights\.bin: truncated/,
      );
      expect(await stat(path.join(root, 'runs')).catch(() => null)).toBeNull();
    });

    it('reports a clear disk error when the runs folder sits under a file, leaving nothing behind', async () => {
      await writeFile(path.join(root, 'blocker'), 'not a folder');
      const blocked = new RunStore(path.join(root, 'blocker', 'runs'));
      await expectStudioError(blocked.saveRun(makeRecord('r1'), makeFiles()), 'disk', /a file is in the way/);
      expect(await readdir(root)).toEqual(['blocker']);
    });

    it('reports a clear disk error when the runs folder is itself a file', async () => {
      await writeFile(path.join(root, 'runs'), 'not a folder');
      await expectStudioError(store.saveRun(makeRecord('r1'), makeFiles()), 'disk', /a file is in the way/);
    });

    // Root ignores permission bits, so this case only runs as a normal user.
    it.skipIf(process.getuid?.() === 0)('reports a disk error for a read-only runs folder', async () => {
      await mkdir(path.join(root, 'runs'));
      await chmod(path.join(root, 'runs'), 0o555);
      await expectStudioError(store.saveRun(makeRecord('r1'), makeFiles()), 'disk', /permission/);
      await chmod(path.join(root, 'runs'), 0o755);
      expect(await readdir(path.join(root, 'runs'))).toEqual([]);
    });
  });

  describe('list()', () => {
    it('returns an empty list when the runs folder does not exist yet', async () => {
      expect(await store.list()).toEqual([]);
    });

    it('reports a disk error when the runs folder is a file', async () => {
      await writeFile(path.join(root, 'runs'), 'not a folder');
      await expectStudioError(store.list(), 'disk', /a file is in the way/);
    });

    it('lists runs newest first, as summaries', async () => {
      await store.saveRun(makeRecord('old', { createdAt: '2024-01-01T00:00:00.000Z' }), makeFiles());
      await store.saveRun(makeRecord('new', { createdAt: '2025-06-01T00:00:00.000Z' }), makeFiles());
      await store.saveRun(makeRecord('mid', { createdAt: '2024-06-01T00:00:00.000Z' }), makeFiles());
      const runs = await store.list();
      expect(runs.map((r) => r.runId)).toEqual(['new', 'mid', 'old']);
      expect(runs[0]).not.toHaveProperty('history');
      expect(runs[0]).toMatchObject({ name: 'run new', testAccuracy: 0.5, testCount: 100 });
    });

    it('reports damaged runs apart and skips folders that hold only a checkpoint', async () => {
      await store.saveRun(makeRecord('good'), makeFiles());
      await store.saveRun(makeRecord('bad'), makeFiles());
      await rm(path.join(root, 'runs', 'bad', 'weights.bin'));
      await mkdir(path.join(root, 'runs', 'training', 'checkpoint'), { recursive: true });
      await writeFile(path.join(root, 'runs', 'stray.txt'), 'not a run');
      const { runs, problems } = await store.listWithProblems();
      expect(runs.map((r) => r.runId)).toEqual(['good']);
      expect(problems).toEqual([{ runId: 'bad', message: 'bad/weights.bin: missing' }]);
      expect(await store.list()).toHaveLength(1);
    });

    it('never lists a temp folder left by a killed save, and sweeps it once stale', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      const fresh = path.join(root, 'runs', '.r2.0123456789ab.tmp');
      const stale = path.join(root, 'runs', '.r3.0123456789ab.tmp');
      for (const folder of [fresh, stale]) {
        await mkdir(folder);
        await writeFile(path.join(folder, 'weights.bin'), new Uint8Array(5));
      }
      await age(stale);
      expect((await store.list()).map((r) => r.runId)).toEqual(['r1']);
      // A fresh one may be a save in progress in the other process: left alone.
      expect((await readdir(path.join(root, 'runs'))).sort()).toEqual(['.r2.0123456789ab.tmp', 'r1']);
    });

    it('puts back the old copy when a save was killed between its two renames', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      const aside = path.join(root, 'runs', '.r1.0123456789ab.aside.tmp');
      await rename(path.join(root, 'runs', 'r1'), aside);
      await age(aside);
      expect((await store.list()).map((r) => r.runId)).toEqual(['r1']);
    });
  });

  describe('loadRecord()', () => {
    it('throws not-found for a run that does not exist', async () => {
      await expectStudioError(store.loadRecord('nope'), 'not-found', /No run "nope"/);
    });

    it.each([
      ['garbage', '{not json', /^r1\/run\.json: not valid JSON/],
      ['valid JSON with the wrong fields', '{"hello": 1}', /^r1\/run\.json: formatVersion: expected 1, got nothing/],
      ['an array', '[1, 2]', /^r1\/run\.json: expected an object, got 2 items/],
    ])('names run.json and the problem when it holds %s', async (_what, text, message) => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      await writeFile(path.join(root, 'runs', 'r1', 'run.json'), text);
      await expectStudioError(store.loadRecord('r1'), 'model-corrupt', message);
    });

    it('names the field and the value when units was hand-edited to "abc"', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      const file = path.join(root, 'runs', 'r1', 'run.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"units": 8', '"units": "abc"'));
      await expectStudioError(store.loadRecord('r1'), 'model-corrupt', /^r1\/run\.json: hyperparams\.units: expected a number, got "abc"$/);
    });

    it('accepts a run.json that an editor saved with a byte-order mark', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      const file = path.join(root, 'runs', 'r1', 'run.json');
      await writeFile(file, `\uFEFF${await readFile(file, 'utf8')}`);
      expect((await store.loadRecord('r1')).name).toBe('run r1');
    });

    it('names a missing run.json', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      await rm(path.join(root, 'runs', 'r1', 'run.json'));
      await expectStudioError(store.loadRecord('r1'), 'model-corrupt', /^r1\/run\.json: missing$/);
    });

    it('takes the run id from the folder name', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      await rename(path.join(root, 'runs', 'r1'), path.join(root, 'runs', 'copy'));
      expect((await store.loadRecord('copy')).runId).toBe('copy');
    });
  });

  describe('loadModelFiles()', () => {
    beforeEach(async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
    });

    it('names a missing weights.bin', async () => {
      await rm(path.join(root, 'runs', 'r1', 'weights.bin'));
      await expectStudioError(store.loadModelFiles('r1'), 'model-corrupt', /^r1\/weights\.bin: missing$/);
    });

    it('names a truncated weights.bin with the sizes', async () => {
      await writeFile(path.join(root, 'runs', 'r1', 'weights.bin'), new Uint8Array(20));
      await expectStudioError(store.loadModelFiles('r1'), 'model-corrupt', /^r1\/weights\.bin: truncated, expected 36 bytes .* got 20$/);
    });

    it('names a model.json that is garbage', async () => {
      await writeFile(path.join(root, 'runs', 'r1', 'model.json'), '\u0000\u0001garbage');
      await expectStudioError(store.loadModelFiles('r1'), 'model-corrupt', /^r1\/model\.json: not valid JSON/);
    });

    it('names a model.json without its weights manifest', async () => {
      await writeFile(path.join(root, 'runs', 'r1', 'model.json'), JSON.stringify({ modelTopology: {} }));
      await expectStudioError(store.loadModelFiles('r1'), 'model-corrupt', /^r1\/model\.json: weightsManifest: missing, expected a list$/);
    });

    it('throws not-found for a run that does not exist', async () => {
      await expectStudioError(store.loadModelFiles('nope'), 'not-found', /nope/);
    });
  });

  describe('deleteRun()', () => {
    it('removes the run folder entirely', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      await store.deleteRun('r1');
      expect(await readdir(path.join(root, 'runs'))).toEqual([]);
      expect(await store.list()).toEqual([]);
    });

    it('throws not-found for a run that does not exist', async () => {
      await expectStudioError(store.deleteRun('nope'), 'not-found', /nope/);
    });
  });

  describe('exportRun()', () => {
    it('copies the run folder to destination/<runId> and returns that path', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles(3));
      const destination = path.join(root, 'exports');
      const exported = await store.exportRun('r1', destination);
      expect(exported).toBe(path.join(destination, 'r1'));
      expect(await readdir(destination)).toEqual(['r1']);
      const copy = new RunStore(destination);
      expect(await copy.loadRecord('r1')).toEqual(await store.loadRecord('r1'));
      expect(await copy.loadModelFiles('r1')).toEqual(await store.loadModelFiles('r1'));
    });

    it('refuses to overwrite an existing folder', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      await mkdir(path.join(root, 'exports', 'r1'), { recursive: true });
      await expectStudioError(store.exportRun('r1', path.join(root, 'exports')), 'invalid-input', /already exists/);
    });

    it('lets only one of two simultaneous exports to the same folder through; the other says the copy exists', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles(3));
      const destination = path.join(root, 'exports');
      const outcomes = await Promise.allSettled([store.exportRun('r1', destination), store.exportRun('r1', destination)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      await expectStudioError(Promise.reject(refused?.reason), 'invalid-input', /already exists/);
      expect(await readdir(destination)).toEqual(['r1']); // no temp folder left behind
      expect(await new RunStore(destination).loadRecord('r1')).toEqual(await store.loadRecord('r1'));
    });

    it('refuses to export a damaged run', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      await writeFile(path.join(root, 'runs', 'r1', 'weights.bin'), new Uint8Array(1));
      await expectStudioError(store.exportRun('r1', path.join(root, 'exports')), 'model-corrupt', /weights\.bin/);
    });

    it('reports a disk error when the destination is under a file', async () => {
      await store.saveRun(makeRecord('r1'), makeFiles());
      await writeFile(path.join(root, 'file'), 'x');
      await expectStudioError(store.exportRun('r1', path.join(root, 'file')), 'disk', /a file is in the way/);
    });
  });
});
