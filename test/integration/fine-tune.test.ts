/**
 * Fine-tuning on the person's digits (issue 17) with the real engine and real MNIST: a small model
 * trained briefly, then fine-tuned on digits that are all altered the same way (a fixed turn and
 * slant, common/augment.ts's applyTransform), must read held-back digits altered that way better
 * than before, while its accuracy on the full, unaltered MNIST test set stays within a point.
 * The altered fine-tune digits come from the validation images, the held-back ones from the test
 * images, and neither from the training images. A fine-tune killed mid-run resumes from its
 * checkpoint, digits and all, exactly as if it had never stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunFinishedEvent, StartRequest, TrainEvent } from '../../common/api';
import { PIXEL_COUNT, StartRequestSchema } from '../../common/api';
import { applyTransform, augmentWorkspace } from '../../common/augment';
import type { Transform } from '../../common/augment';
import { chooseBackend } from '../../main/engine/backend';
import { classifyImages } from '../../main/engine/classify';
import type { MnistDataset, Split } from '../../main/engine/data/dataset';
import { loadDataset } from '../../main/engine/data/dataset';
import { trainRun } from '../../main/engine/engine';
import { restoreCheckpoint } from '../../main/engine/checkpoint';
import { modelFromFiles } from '../../main/engine/model-io';
import { fineTuneJob } from '../../main/service/fine-tune-job';
import type { StoredDigit } from '../../main/store/my-digits-store';
import { RunStore } from '../../main/store/store';
import { engineContext } from '../support/engine-context';

/** Every altered digit gets this: turned 40° clockwise and slanted 15°, as a person who writes tilted might. */
const ALTERATION: Transform = { degrees: 40, slantDegrees: 15, stretch: 1, thickness: 0, field: null };
const FINE_TUNE_DIGITS = 200;
const HELD_BACK = 1000;

/** Images `first … first + count − 1` of `split`, altered, as [count × 784] floats 0–1. */
function altered(split: Split, first: number, count: number): { pixels: Float32Array; labels: number[] } {
  const pixels = new Float32Array(count * PIXEL_COUNT);
  const work = augmentWorkspace();
  for (let i = 0; i < count; i++) {
    const image = pixels.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
    const from = (first + i) * PIXEL_COUNT;
    for (let k = 0; k < PIXEL_COUNT; k++) image[k] = split.images[from + k] / 255;
    applyTransform(image, ALTERATION, work);
  }
  return { pixels, labels: Array.from(split.labels.subarray(first, first + count)) };
}

describe('fine-tuning on systematically altered digits (real MNIST, real engine)', () => {
  let root: string;
  let dataset: MnistDataset;
  let store: RunStore;

  beforeAll(async () => {
    await chooseBackend(['wasm']);
    root = mkdtempSync(path.join(os.tmpdir(), 'fine-tune-test-'));
    dataset = await loadDataset({ dataDir: path.join(root, 'data') });
    store = new RunStore(path.join(root, 'runs'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The share of held-back altered digits run `runId` reads right. */
  async function alteredAccuracy(runId: string, heldBack: { pixels: Float32Array; labels: number[] }): Promise<number> {
    const model = await modelFromFiles(await store.loadModelFiles(runId));
    const answers = classifyImages(model, heldBack.pixels);
    model.dispose();
    return answers.filter((a, i) => a === heldBack.labels[i]).length / answers.length;
  }

  it('reads held-back altered digits better afterwards, and MNIST about as well', async () => {
    const parentRequest: StartRequest = StartRequestSchema.parse({
      hyperparams: { units: 32, batchSize: 64, budget: 600, validationInterval: 0, learningRate: 0.005, seed: 11 },
      trainLimit: 20_000,
    });
    const parentEvents: TrainEvent[] = [];
    await trainRun('parent', parentRequest, engineContext(dataset, store, parentEvents));
    const parent = await store.loadRecord('parent');

    const tuning = altered(dataset.validation, 0, FINE_TUNE_DIGITS);
    const heldBack = altered(dataset.test, 0, HELD_BACK);
    const digits: StoredDigit[] = tuning.labels.map((label, i) => ({
      id: `d-${i}`,
      label,
      part: 'fine-tune',
      createdAt: new Date(0).toISOString(),
      pixels: Array.from(tuning.pixels.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT)),
      strokes: [{ points: [{ x: 0, y: 0, width: 20 }] }],
      padSize: 280,
    }));
    const job = fineTuneJob(parent, { runId: 'parent', iterations: 300 }, { revision: 1, digits });
    const childEvents: TrainEvent[] = [];
    await trainRun('child', job, engineContext(dataset, store, childEvents));
    const child = await store.loadRecord('child');

    const [before, after] = [await alteredAccuracy('parent', heldBack), await alteredAccuracy('child', heldBack)];
    const mnist = { before: parent.testAccuracy!, after: child.testAccuracy! };
    console.log(
      `altered held-back digits: ${(before * 100).toFixed(1)} % → ${(after * 100).toFixed(1)} %; ` +
        `MNIST test (${child.testCount} images): ${(mnist.before * 100).toFixed(2)} % → ${(mnist.after * 100).toFixed(2)} %`,
    );
    expect(child.parent).toMatchObject({ runId: 'parent', mixRatio: 0.25, testAccuracy: parent.testAccuracy });
    expect(child.parent!.trainedOn).toHaveLength(FINE_TUNE_DIGITS);
    expect(child.testCount).toBe(10_000);
    expect((childEvents.at(-1) as RunFinishedEvent).iterations).toBe(300);
    expect(after).toBeGreaterThan(before + 0.1);
    expect(Math.abs(mnist.after - mnist.before)).toBeLessThanOrEqual(0.01);
  });

  it('resumes a fine-tune killed mid-run from its checkpoint exactly as if it had never stopped', async () => {
    const small = StartRequestSchema.parse({
      hyperparams: { units: 8, batchSize: 32, budget: 20, validationInterval: 0, seed: 4 },
      trainLimit: 2000,
      testLimit: 200,
    });
    await trainRun('small', small, engineContext(dataset, store, []));
    const tuning = altered(dataset.validation, 0, 20);
    const digits: StoredDigit[] = tuning.labels.map((label, i) => ({
      id: `r-${i}`,
      label,
      part: 'fine-tune',
      createdAt: new Date(0).toISOString(),
      pixels: Array.from(tuning.pixels.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT)),
      strokes: [{ points: [{ x: 0, y: 0, width: 20 }] }],
      padSize: 280,
    }));
    const job = {
      ...fineTuneJob(await store.loadRecord('small'), { runId: 'small', iterations: 40 }, { revision: 1, digits }),
      checkpointInterval: 20,
    };
    const straight: TrainEvent[] = [];
    await trainRun('tuned', job, engineContext(dataset, store, straight));
    // Dies like a killed process once iteration 30 reports; the checkpoint of iteration 20 stays.
    const crashing = engineContext(dataset, store, [], {
      emit: (e) => {
        if (e.type === 'progress' && e.iteration >= 30) throw new Error('killed');
      },
    });
    await expect(trainRun('tuned-again', job, crashing)).rejects.toThrow('killed');
    const restored = await restoreCheckpoint(store, 'tuned-again');
    expect(restored.state.request.fineTune?.digits).toHaveLength(20);
    const resumed: TrainEvent[] = [];
    await trainRun('tuned-again', restored.state.request, engineContext(dataset, store, resumed), restored);
    const tail = (events: TrainEvent[]) =>
      events.flatMap((e) => (e.type === 'progress' && e.iteration > 20 ? [[e.iteration, e.loss]] : []));
    expect(tail(resumed)).toEqual(tail(straight));
    expect((resumed.at(-1) as RunFinishedEvent).test.accuracy).toBe((straight.at(-1) as RunFinishedEvent).test.accuracy);
    expect((await store.loadRecord('tuned-again')).parent?.runId).toBe('small');
  });
});
