/**
 * Data-parallel training steps on two cores. tfjs's wasm backend runs single-threaded in Node,
 * so a second thread with its own wasm instance (grad-worker.ts) computes the gradients of half
 * of each batch while this thread computes the other half; the halves' gradients, weighted by
 * their image counts, are exactly the whole batch's gradient, and this thread's optimizer
 * applies them. The helper receives the weights every step, so the two never drift apart.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName, Hyperparams } from '../../../common/api';
import { applyAdamCombined, canCombineAdam, copyTensorInto, fastAugmentWorkspace, tensorFromCopy } from '../wasm';
import type { Batch, Split } from '../data/dataset';
import { gatherBatch } from '../data/dataset';
import { augmentPart } from '../data/batches';
import type { AugmentWorkspace } from '../../../common/augment';
import type { ExchangeViews } from './grad-exchange';
import { allocateExchange, exchangeViews, splitFlat } from './grad-exchange';
import { GradHelper, findHelperBundle } from './grad-helper';
import type { PartGradients } from '../gradients';
import {
  applyGradients,
  combineGradients,
  combineScores,
  dropoutLayers,
  partGradients,
  trainableVariables,
  weightShapes,
} from '../gradients';
import { scoreBatch } from '../score';
import type { StepResult, Stepper } from '../stepper';
import { PIXEL_COUNT } from '../../../common/mnist';

/** What the helper needs to build the same model. */
export interface ParallelOptions {
  hyperparams: Hyperparams;
  seed: number;
  backend: BackendName;
  /** The helper bundle; found next to this bundle when not given. */
  helperUrl?: URL;
  /** Longest wait for the helper to start, ms. */
  startTimeoutMs?: number;
  /** Longest wait for the helper's part once this thread's part is done, before counting ×10 of it, ms. */
  stepTimeoutMs?: number;
  /** Told once why training falls back to one thread; defaults to console.warn. */
  onNote?: (message: string) => void;
}

const PIXELS = PIXEL_COUNT;
/** Images each thread scores per round of a validation pass. */
const SCORE_SHARE = 250;
const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_STEP_TIMEOUT_MS = 30_000;

interface Shared {
  helper: GradHelper;
  /** Buffers for augmenting this thread's part of each batch. */
  work: AugmentWorkspace;
  views: ExchangeViews;
  shapes: number[][];
  seq: number;
}

/** Copies the current weights into shared memory for the helper. */
function publishWeights(model: tf.LayersModel, shared: Shared): void {
  const targets = splitFlat(shared.views.weights, shared.shapes);
  trainableVariables(model).forEach((v, k) => copyTensorInto(v, targets[k]));
}

/** The helper's gradients as tensors (copied out of shared memory). */
function helperPart(shared: Shared, done: { loss: number; correct: number }, count: number): PartGradients {
  const grads = splitFlat(shared.views.grads, shared.shapes).map((g, k) => tensorFromCopy(g, shared.shapes[k]));
  return { grads, loss: done.loss, correct: done.correct, count };
}

/** One step split across the two threads: the first ⌈n/2⌉ images here, the rest on the helper. */
async function parallelStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  shared: Shared,
  batch: Batch,
  withAccuracy: boolean,
  stepTimeoutMs: number,
): Promise<StepResult> {
  const n = batch.labels.length;
  const theirCount = Math.floor(n / 2);
  const ownCount = n - theirCount;
  publishWeights(model, shared);
  shared.views.pixels.set(batch.pixels.subarray(ownCount * PIXELS, n * PIXELS));
  shared.views.labels.set(batch.labels.subarray(ownCount, n));
  const dropoutCalls = dropoutLayers(model).map((layer) => layer.callCount);
  const augment = batch.augment ? { ...batch.augment, first: ownCount } : null;
  const answer = shared.helper.request({ type: 'step', seq: ++shared.seq, count: theirCount, withAccuracy, dropoutCalls, augment });
  answer.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const startedMs = performance.now();
  // Each thread augments its own part, while the other does the same.
  if (batch.augment) augmentPart(batch.pixels, 0, ownCount, batch.augment, shared.work);
  const own = partGradients(
    model,
    { pixels: batch.pixels.subarray(0, ownCount * PIXELS), labels: batch.labels.subarray(0, ownCount) },
    withAccuracy,
  );
  const parts: PartGradients[] = [own];
  try {
    shared.helper.armTimeout(stepTimeoutMs + 10 * (performance.now() - startedMs));
    const theirs = helperPart(shared, await answer, theirCount);
    parts.push(theirs);
    if (canCombineAdam(optimizer)) {
      applyAdamCombined(optimizer, trainableVariables(model), [own, theirs]);
    } else {
      const grads = combineGradients(parts);
      applyGradients(model, optimizer, grads);
      tf.dispose(grads);
    }
    const scores = combineScores(parts);
    return { loss: scores.loss, accuracy: withAccuracy ? scores.accuracy : Number.NaN };
  } finally {
    for (const part of parts) tf.dispose(part.grads);
  }
}

/** Consecutive image numbers start … start + count − 1. */
const range = (start: number, count: number) => Array.from({ length: count }, (_, i) => start + i);

/**
 * A validation pass split across the two threads: each round, this thread scores the first
 * half of a chunk of 2·SCORE_SHARE images while the helper scores the second. Sums are taken
 * in image order, so the result does not depend on which thread finishes first.
 */
async function parallelScore(model: tf.LayersModel, shared: Shared, split: Split, own: Batch, stepTimeoutMs: number): Promise<StepResult> {
  publishWeights(model, shared);
  let lossSum = 0;
  let hits = 0;
  let hasWeights = false;
  for (let start = 0; start < split.count; start += 2 * SCORE_SHARE) {
    const n = Math.min(2 * SCORE_SHARE, split.count - start);
    const theirCount = Math.floor(n / 2);
    const ownCount = n - theirCount;
    // A last round of one image stays here: the helper is not asked to score nothing.
    let answer: ReturnType<typeof requestScore> | null = null;
    if (theirCount > 0) {
      answer = requestScore(shared, split, start + ownCount, theirCount, !hasWeights);
      hasWeights = true;
    }
    const startedMs = performance.now();
    const mine = scoreBatch(model, gatherBatch(split, range(start, ownCount), own));
    shared.helper.armTimeout(stepTimeoutMs + 10 * (performance.now() - startedMs));
    const theirs = answer ? await answer : { lossSum: 0, hits: 0 };
    lossSum += mine.lossSum + theirs.lossSum;
    hits += mine.hits + theirs.hits;
  }
  return { loss: lossSum / split.count, accuracy: hits / split.count };
}

/** Puts images start … start + count − 1 of `split` in shared memory and asks the helper to score them. */
function requestScore(shared: Shared, split: Split, start: number, count: number, loadWeights: boolean) {
  gatherBatch(split, range(start, count), { pixels: shared.views.pixels, labels: shared.views.labels });
  const answer = shared.helper.request({ type: 'score', seq: ++shared.seq, count, loadWeights });
  answer.catch(() => undefined); // awaited by the caller; this only keeps an early failure from going unhandled
  return answer;
}

let hasNoted = false;

/** Starts the helper, or says (once per process) why training stays on one thread. */
function startHelper(model: tf.LayersModel, options: ParallelOptions, note: (message: string) => void): Shared | null {
  const url = options.helperUrl ?? findHelperBundle();
  if (!url) {
    note('The gradient helper bundle (grad-worker.mjs) is missing; training on one thread.');
    return null;
  }
  const shapes = weightShapes(model);
  const maxCount = Math.max(Math.ceil(options.hyperparams.batchSize / 2), SCORE_SHARE);
  const buffer = allocateExchange(shapes, maxCount);
  const config = { hyperparams: options.hyperparams, seed: options.seed, backend: options.backend, shapes, maxCount, buffer };
  try {
    const helper = new GradHelper(url, config, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    return { helper, views: exchangeViews(buffer, shapes, maxCount), shapes, seq: 0, work: fastAugmentWorkspace() };
  } catch (err) {
    note(`The gradient helper thread could not start (${err instanceof Error ? err.message : String(err)}); training on one thread.`);
    return null;
  }
}

/**
 * A Stepper that splits each batch between this thread and a helper thread. Falls back to
 * `single` for the whole run when the helper cannot start, and for batches of one image.
 * A helper that dies mid-run fails the step with StudioError('worker-crashed').
 */
export function createParallelStepper(model: tf.LayersModel, optimizer: tf.Optimizer, options: ParallelOptions, single: Stepper): Stepper {
  const note = (message: string) => {
    if (hasNoted) return;
    hasNoted = true;
    (options.onNote ?? console.warn)(message);
  };
  let shared = startHelper(model, options, note);
  let isStarted = false;
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const scoreBuffers: Batch = { pixels: new Float32Array(SCORE_SHARE * PIXELS), labels: new Int32Array(SCORE_SHARE) };
  /** The helper once it has started; null (for the whole run) when it could not. */
  const started = async (): Promise<Shared | null> => {
    if (shared && !isStarted) {
      try {
        await shared.helper.ready;
        isStarted = true;
      } catch (err) {
        note(`${err instanceof Error ? err.message : String(err)} Training on one thread instead.`);
        shared.helper.dispose();
        shared = null;
      }
    }
    return shared;
  };
  return {
    async step(batch, withAccuracy) {
      const helper = await started();
      if (!helper || batch.labels.length < 2) return single.step(batch, withAccuracy);
      return parallelStep(model, optimizer, helper, batch, withAccuracy, stepTimeoutMs);
    },
    async score(split) {
      const helper = await started();
      if (!helper || split.count < 2) return single.score(split);
      return parallelScore(model, helper, split, scoreBuffers, stepTimeoutMs);
    },
    dispose() {
      shared?.helper.dispose();
      shared = null;
      single.dispose();
    },
  };
}

/** Forgets that the fallback was already announced (tests). */
export function resetParallelNote(): void {
  hasNoted = false;
}
