/**
 * Sweeps through the real StudioService, worker and dataset, with tiny budgets: trials run one
 * after another as ordinary runs tagged with the sweep, early stopping stops the trials its
 * rule says, a stop keeps what finished, a sweep cut short by a closing app resumes in a new
 * service with no trial lost or run twice, and a damaged sweep file is refused, not restarted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../main/service/paths';
import { StudioService } from '../../main/service/service';
import type { StudioEvent } from '../../common/api';
import type { SweepEvent, SweepPlanInput, SweepState } from '../../common/sweep';

const BASE = { units: 8, budget: 20, batchSize: 32, validationInterval: 10, seed: 3 };
const PLAN: SweepPlanInput = {
  name: 'tiny grid',
  base: BASE,
  vary: { units: { mode: 'list', values: [8, 12] } },
  seedsPerConfig: 2,
  trainLimit: 1000,
  testLimit: 200,
};

let root: string;
let service: StudioService;
const events: StudioEvent[] = [];

function newService(): StudioService {
  const created = new StudioService({ ...dataPaths(root), predictorWorker: false });
  created.onEvent((event) => events.push(event));
  return created;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sweepEnded = (sweepId: string) => () =>
  events.some((e): e is SweepEvent => e.type === 'sweep' && e.sweepId === sweepId && e.status !== 'running');

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-sweep-'));
  service = newService();
});

afterAll(async () => {
  await service?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('a sweep on the real worker', () => {
  it('previews a plan: trials, rungs, an estimate; refuses a bad one with the reason', async () => {
    const preview = await service.previewSweep({ ...PLAN, earlyStopping: { reductionFactor: 2, rungs: 1 } });
    expect(preview).toMatchObject({ configCount: 2, trialCount: 4, rungIterations: [10] });
    expect(preview.sample.map((h) => [h.units, h.seed])).toEqual([
      [8, 3],
      [8, 4],
      [12, 3],
      [12, 4],
    ]);
    expect(preview.estimateMs).toBeGreaterThan(0);
    await expect(service.previewSweep({ ...PLAN, vary: { units: { mode: 'list', values: [8, 2000] } } })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('units value 2'),
    });
    await expect(service.previewSweep({ ...PLAN, vary: {}, seedsPerConfig: 1 })).rejects.toThrow(/Nothing varies/);
  });

  it('runs every trial as a run tagged with the sweep, and refuses a second start meanwhile', async () => {
    const { sweepId } = await service.startSweep(PLAN);
    await expect(service.startTraining({ hyperparams: BASE })).rejects.toMatchObject({ code: 'busy' });
    await expect(service.startSweep(PLAN)).rejects.toMatchObject({ code: 'busy' });
    expect((await service.getStatus()).sweep).toMatchObject({ sweepId, status: 'running', trialCount: 4 });
    await waitFor(sweepEnded(sweepId), 'the sweep to end');

    const state = await service.loadSweep({ sweepId });
    expect(state.status).toBe('done');
    expect(state.trials.map((t) => [t.status, t.error])).toEqual(Array(4).fill(['done', null]));
    const runs = await service.listRuns();
    for (const trial of state.trials) {
      expect(trial.iterations).toBe(20);
      expect(trial.bestValidation).toBeGreaterThan(0);
      expect(trial.validation.map((p) => p.iteration)).toEqual([10, 20]);
      expect(trial.testAccuracy).not.toBeNull();
      const run = runs.find((r) => r.runId === trial.runId);
      expect(run?.sweep).toEqual({ sweepId, trial: trial.index });
      expect(run?.hyperparams).toMatchObject({ units: trial.hyperparams.units, seed: trial.hyperparams.seed });
    }
    expect((await service.getStatus()).sweep).toBeNull();
    expect((await service.listSweeps()).sweeps[0]).toMatchObject({ sweepId, status: 'done', finished: 4, trialCount: 4 });
  });

  it('stops early a configuration whose first seed scores below the earlier configurations’ cutoff, and skips its other seeds', async () => {
    // Learning rate 1e-6 learns nothing in 20 iterations; 0.01 learns a lot: the rule must stop the first.
    const plan: SweepPlanInput = {
      ...PLAN,
      base: { ...BASE, budget: 40 },
      vary: { learningRate: { mode: 'list', values: [0.01, 0.000001] } },
      seedsPerConfig: 2,
      earlyStopping: { reductionFactor: 2, rungs: 1 },
    };
    const { sweepId } = await service.startSweep(plan);
    await waitFor(sweepEnded(sweepId), 'the sweep to end');
    const state = await service.loadSweep({ sweepId });
    // The second seed of the first configuration is never judged: a configuration is judged on its first seed.
    expect(state.trials.map((t) => t.status)).toEqual(['done', 'done', 'pruned', 'pruned']);
    const [kept, , pruned, skipped] = state.trials;
    expect(kept.rungScores[0]).toBeGreaterThan(pruned.rungScores[0] ?? 1);
    expect(pruned.iterations).toBeLessThan(40);
    expect(kept.iterations).toBe(40);
    expect(skipped).toMatchObject({ runId: null, iterations: 0 });
    const run = (await service.listRuns()).find((r) => r.runId === pruned.runId);
    expect(run?.stopped).toBe(true);
  });

  it('stops: the current trial ends within a batch and is kept, and the rest stay pending', async () => {
    const plan: SweepPlanInput = { ...PLAN, base: { ...BASE, budget: 100_000, validationInterval: 0 }, seedsPerConfig: 1 };
    const { sweepId } = await service.startSweep(plan);
    await waitFor(() => events.some((e) => e.type === 'progress'), 'the first trial to train');
    await service.stopSweep();
    await waitFor(sweepEnded(sweepId), 'the sweep to stop');
    const stopped = await service.loadSweep({ sweepId });
    expect(stopped.status).toBe('stopped');
    expect(stopped.trials.map((t) => t.status)).toEqual(['stopped', 'pending']);
    expect((await service.listSweeps()).sweeps.find((s) => s.sweepId === sweepId)?.status).toBe('stopped');
  });

  it('resumes a sweep cut short by the app closing: the interrupted trial from its checkpoint, none lost or run twice', async () => {
    const plan: SweepPlanInput = { ...PLAN, base: { ...BASE, budget: 60 }, seedsPerConfig: 1 };
    const { sweepId } = await service.startSweep(plan);
    // Close the app while the first trial is mid-run, after a checkpoint (every 10 iterations).
    await waitFor(async () => {
      const state = await service.loadSweep({ sweepId }).catch(() => null);
      return (state?.trials[0].validation.length ?? 0) >= 2;
    }, 'a checkpointed first trial');
    const interruptedRunId = (await service.loadSweep({ sweepId })).trials[0].runId;
    await service.dispose();

    service = newService();
    const listed = (await service.listSweeps()).sweeps.find((s) => s.sweepId === sweepId);
    expect(listed?.status).toBe('interrupted');
    events.length = 0;
    await service.resumeSweep({ sweepId });
    await waitFor(sweepEnded(sweepId), 'the resumed sweep to end');

    const state = await service.loadSweep({ sweepId });
    expect(state.trials.map((t) => t.status)).toEqual(['done', 'done']);
    expect(state.trials[0].runId).toBe(interruptedRunId);
    const started = events.filter((e) => e.type === 'started');
    expect(started).toHaveLength(2);
    expect(started[0]).toMatchObject({ runId: interruptedRunId, resumedFrom: { iteration: expect.any(Number) } });
    const trialRuns = (await service.listRuns()).filter((r) => r.sweep?.sweepId === sweepId);
    expect(trialRuns.map((r) => r.sweep?.trial).sort()).toEqual([0, 1]);
    expect(trialRuns.every((r) => r.iterations === 60)).toBe(true);
  });

  it('saves a results table where the save dialog says, atomically; Cancel writes nothing; no dialog, no save', async () => {
    const target = path.join(root, 'results.csv');
    const asked: string[] = [];
    const withDialog = new StudioService({
      ...dataPaths(root),
      host: service.host,
      chooseSaveFile: async (name) => (asked.push(name), target),
    });
    expect(await withDialog.saveTextFile({ fileName: 'a/b:c.csv', text: 'trial,units\r\n1,8\r\n' })).toEqual({ path: target });
    expect(asked).toEqual(['a_b_c.csv']); // never a folder in the suggestion
    expect(readFileSync(target, 'utf8')).toBe('trial,units\r\n1,8\r\n');
    const cancelling = new StudioService({ ...dataPaths(root), host: service.host, chooseSaveFile: async () => null });
    expect(await cancelling.saveTextFile({ fileName: 'x.csv', text: 'other' })).toBeNull();
    expect(readFileSync(target, 'utf8')).toBe('trial,units\r\n1,8\r\n');
    await expect(service.saveTextFile({ fileName: 'x.csv', text: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    await Promise.all([withDialog.dispose(), cancelling.dispose()]);
  });

  it('saves a chart picture as the PNG bytes its base64 holds; refuses anything that is not a PNG', async () => {
    const target = path.join(root, 'chart.png');
    const withDialog = new StudioService({ ...dataPaths(root), host: service.host, chooseSaveFile: async () => target });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(await withDialog.saveImageFile({ fileName: 'run: loss.png', png: bytes.toString('base64') })).toEqual({ path: target });
    expect(readFileSync(target)).toEqual(bytes);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]).toString('base64');
    await expect(withDialog.saveImageFile({ fileName: 'x.png', png: jpeg })).rejects.toMatchObject({ code: 'invalid-input' });
    await withDialog.dispose();
  });

  it('refuses a damaged sweep file with the reason, lists it as damaged, and leaves it as it was', async () => {
    const { sweeps } = await service.listSweeps();
    const sweepId = sweeps[0].sweepId;
    const file = path.join(root, 'sweeps', `${sweepId}.json`);
    const state = JSON.parse(readFileSync(file, 'utf8')) as SweepState;
    const damaged = JSON.stringify({ ...state, trials: [{ ...state.trials[0], status: 'half-done' }] });
    writeFileSync(file, damaged);
    await expect(service.loadSweep({ sweepId })).rejects.toMatchObject({
      code: 'sweep-corrupt',
      message: expect.stringContaining('trials[0].status'),
    });
    await expect(service.resumeSweep({ sweepId })).rejects.toMatchObject({ code: 'sweep-corrupt' });
    const listing = await service.listSweeps();
    expect(listing.damaged).toEqual([{ sweepId, message: expect.stringContaining('status') }]);
    expect(readFileSync(file, 'utf8')).toBe(damaged);
    writeFileSync(file, '{"formatVersion": 1, "sweep');
    await expect(service.loadSweep({ sweepId })).rejects.toThrow(/not valid JSON/);
  });
});
