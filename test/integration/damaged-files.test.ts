/**
 * Damaged run folders through the real StudioService: the real worker loads the real model
 * files, and every failure must come back over the wire as a `model-corrupt` error whose
 * message names the file and the problem. The unit tests of store, store-schema and model-io
 * cover each check in isolation; this file covers what a person sees after hand-editing a run
 * folder or mixing files from two runs, end to end. Training two tiny runs takes a few seconds.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../main/service/paths';
import { StudioService } from '../../main/service/service';
import type { StartRequestInput, StudioEvent } from '../../common/api';

let root: string;
let service: StudioService;
let runsDir: string;
const finished = new Map<string, StudioEvent>();
/** The ids of a 16-unit and a 32-unit run, trained once for the whole file. */
const trained = { small: '', large: '' };
const BLANK = new Array<number>(784).fill(0);

function tinyRun(units: number): StartRequestInput {
  return { hyperparams: { units, budget: 10, batchSize: 32, validationInterval: 0, seed: 3 }, trainLimit: 500, testLimit: 100 };
}

async function train(units: number): Promise<string> {
  const { runId } = await service.startTraining(tinyRun(units));
  const deadline = Date.now() + 90_000;
  while (!finished.has(runId)) {
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // The whole event in the message: a failure here should say which error ended the run.
  expect(finished.get(runId), JSON.stringify(finished.get(runId))).toMatchObject({ type: 'done' });
  return runId;
}

/** A copy of the 16-unit run under a new id, then `damage` applied to its folder. */
async function damagedCopy(runId: string, damage: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(runsDir, runId);
  await cp(path.join(runsDir, trained.small), dir, { recursive: true });
  await damage(dir);
  return runId;
}

/** Rewrites run.json through `edit`, as a person with a text editor would. */
function editRunJson(edit: (json: Record<string, unknown>) => void) {
  return async (dir: string) => {
    const json = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    edit(json);
    await writeFile(path.join(dir, 'run.json'), JSON.stringify(json, null, 2));
  };
}

const hyperparamsOf = (json: Record<string, unknown>) => json.hyperparams as Record<string, unknown>;

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'lstm-damaged-'));
  const paths = dataPaths(root);
  runsDir = paths.runsDir;
  service = new StudioService(paths);
  service.onEvent((event) => {
    if ((event.type === 'done' || event.type === 'error') && event.runId) finished.set(event.runId, event);
  });
  trained.small = await train(16);
  trained.large = await train(32);
});

afterAll(async () => {
  await service?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('StudioService.loadRun with a hand-edited run.json', () => {
  it.each([
    [
      'wrong types in valid JSON',
      'wrong-types',
      (j: Record<string, unknown>) => ((j.iterations = 'ten'), (j.stopped = 'no')),
      /^wrong-types\/run\.json: iterations: expected a number, got "ten" \(and 1 more problem\)$/,
    ],
    [
      'an unknown cell type',
      'unknown-cell',
      (j: Record<string, unknown>) => (hyperparamsOf(j).cell = 'transformer'),
      /^unknown-cell\/run\.json: hyperparams\.cell: expected "lstm" or "gru" or "rnn", got "transformer"$/,
    ],
    [
      'negative units',
      'negative-units',
      (j: Record<string, unknown>) => (hyperparamsOf(j).units = -16),
      /^negative-units\/run\.json: hyperparams\.units: expected at least 1, got -16$/,
    ],
  ])('refuses %s as model-corrupt, naming run.json and the field', async (_what, runId, edit, message) => {
    await damagedCopy(runId, editRunJson(edit));
    expect(await failureOf(service.loadRun({ runId }))).toMatchObject({ code: 'model-corrupt', message: expect.stringMatching(message) });
    expect((await service.listRuns()).map((r) => r.runId)).not.toContain(runId);
  });
});

describe('StudioService.predict with model files that do not belong together', () => {
  it('refuses weights.bin from a 32-unit run in a 16-unit folder, naming weights.bin and both sizes', async () => {
    const runId = await damagedCopy('swapped-weights', (dir) =>
      cp(path.join(runsDir, trained.large, 'weights.bin'), path.join(dir, 'weights.bin')),
    );
    const err = await failureOf(service.predict({ runId, pixels: BLANK }));
    expect(err).toMatchObject({
      code: 'model-corrupt',
      message: expect.stringMatching(/^swapped-weights\/weights\.bin: too long, expected \d+ bytes .*, got \d+$/),
    });
    expect((await service.listRuns()).map((r) => r.runId)).not.toContain(runId);
  });

  it('refuses 32-unit weights and manifest under the 16-unit topology as incompatible, naming model.json and weights.bin', async () => {
    const runId = await damagedCopy('swapped-manifest', async (dir) => {
      const small = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      const large = JSON.parse(await readFile(path.join(runsDir, trained.large, 'model.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(path.join(dir, 'model.json'), JSON.stringify({ ...small, weightsManifest: large.weightsManifest }));
      await cp(path.join(runsDir, trained.large, 'weights.bin'), path.join(dir, 'weights.bin'));
    });
    const err = await failureOf(service.predict({ runId, pixels: BLANK }));
    expect(err).toMatchObject({
      code: 'model-corrupt',
      message: expect.stringMatching(/^[\w.-]+\/model\.json and weights\.bin are incompatible: .*shape/i),
    });
  });

  it('refuses a run folder without model.json, naming it, and keeps it out of the list', async () => {
    const runId = await damagedCopy('no-model-json', (dir) => rm(path.join(dir, 'model.json')));
    const err = await failureOf(service.predict({ runId, pixels: BLANK }));
    expect(err).toMatchObject({ code: 'model-corrupt', message: 'no-model-json/model.json: missing' });
    expect(await failureOf(service.evaluate({ runId }))).toMatchObject({
      code: 'model-corrupt',
      message: 'no-model-json/model.json: missing',
    });
    expect((await service.listRuns()).map((r) => r.runId)).not.toContain(runId);
  });

  // model.json and weights.bin agree with each other here, but come from a 32-unit run while
  // run.json says 16 units: the predictor must not serve another run's model under this name.
  it('refuses model files whose architecture disagrees with run.json', async () => {
    const runId = await damagedCopy('other-architecture', async (dir) => {
      for (const file of ['model.json', 'weights.bin']) await cp(path.join(runsDir, trained.large, file), path.join(dir, file));
    });
    expect(await failureOf(service.predict({ runId, pixels: BLANK }))).toMatchObject({
      code: 'model-corrupt',
      message: expect.stringMatching(/other-architecture\/model\.json: holds FusedLSTM\(32\), but run\.json describes FusedLSTM\(16\)/),
    });
  });

  it('still serves the good runs after all of the above', async () => {
    const listed = (await service.listRuns()).map((r) => r.runId);
    expect(listed).toEqual(expect.arrayContaining([trained.small, trained.large]));
    const prediction = await service.predict({ runId: trained.small, pixels: BLANK });
    expect(prediction.probabilities).toHaveLength(10);
  });
});
