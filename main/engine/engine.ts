/**
 * One training run, top to bottom: build → fit (progress every DISPLAY_EVERY iterations,
 * validation at the interval) → evaluate on the test set → save. Emits TrainEvents; knows
 * nothing of workers or Electron.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendName, Hyperparams, MetricsHistory, RunRecord, TestResults, TrainEvent } from '../../common/api';
import { DISPLAY_EVERY, totalIterations } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { MnistDataset } from './data/dataset';
import { sliceSplit } from './data/dataset';
import { evaluateModel } from './evaluate';
import { buildModel, makeOptimizer } from './model';
import { modelToFiles } from './model-io';
import { randomSeed } from './rng';
import { trainBatches } from './data/mixed-batches';
import type { TrainBatches } from './data/mixed-batches';
import { parentModel } from './fine-tune';
import type { LoopProgress, RestoredRun } from './checkpoint';
import { saveCheckpoint } from './checkpoint';
import { deleteCheckpoint } from '../store/checkpoint-files';
import { SeededDropout } from './seeded-dropout';
import type { RunStore } from '../store/store';
import type { TrainJob } from '../store/train-job';
import type { Stepper } from './train-step';
import { createStepper } from './train-step';

export interface EngineContext {
  dataset: MnistDataset;
  store: RunStore;
  backend: BackendName;
  versions: Record<string, string>;
  emit(event: TrainEvent): void;
  /** True once a stop was asked for; checked after every batch. */
  isStopRequested(): boolean;
  /** Lets queued messages (stop, predict) run between batches. */
  yieldToEvents(): Promise<void>;
}

interface RunState {
  runId: string;
  hp: Hyperparams;
  seed: number;
  total: number;
  history: MetricsHistory;
  trainMs: number;
  startedAt: number;
  samples: number;
  perEpoch: number;
  /** The latest batch's loss and accuracy. */
  last: { loss: number; accuracy: number };
  /** Iterations already trained before this call (non-zero when resuming). */
  done: number;
  checkpointWarned?: boolean;
}

/**
 * A batch loss above this means training has blown up, not that it is slow: a model guessing
 * at random scores ln 10 ≈ 2.3. With bounded activations (sigmoid, tanh) an exploding run shows
 * huge finite losses long before any NaN, so both count as divergence.
 */
export const DIVERGED_LOSS = 100;

function isDiverged(loss: number): boolean {
  return !Number.isFinite(loss) || loss > DIVERGED_LOSS;
}

/** The run's end when its loss blows up: the message, and the curves up to that point. */
export class DivergedError extends StudioError {
  constructor(
    message: string,
    readonly history: MetricsHistory,
  ) {
    super('diverged', message);
  }
}

function divergedError(iteration: number, loss: number, state: RunState): DivergedError {
  const what = Number.isFinite(loss) ? `reached ${loss.toFixed(1)} (random guessing scores 2.3)` : `became ${loss}`;
  // The blown-up batch joins the curve: it is what the person needs to see.
  const history = { ...state.history, train: [...state.history.train, { iteration, loss, accuracy: state.last.accuracy }] };
  return new DivergedError(
    `Training diverged at iteration ${iteration}: the loss ${what}. ` +
      `The learning rate (${state.hp.learningRate}) is probably too high; try a smaller one.`,
    history,
  );
}

/** Iterations between checkpoints when the request does not say: a few seconds of training. */
export const DEFAULT_CHECKPOINT_INTERVAL = 200;

function initialState(runId: string, request: TrainJob, trainCount: number, restored?: RestoredRun): RunState {
  const hp = request.hyperparams;
  const saved = restored?.state;
  return {
    runId,
    hp,
    seed: saved?.seed ?? hp.seed ?? randomSeed(),
    total: totalIterations(hp, trainCount),
    history: saved?.history ?? { train: [], validation: [] },
    trainMs: saved?.trainMs ?? 0,
    // Elapsed time carries on from the checkpoint, so ETA and totals stay honest after a resume.
    startedAt: performance.now() - (saved?.elapsedMs ?? 0),
    samples: saved?.samples ?? 0,
    perEpoch: Math.ceil(trainCount / hp.batchSize),
    last: { loss: Number.NaN, accuracy: Number.NaN },
    done: saved?.iteration ?? 0,
  };
}

/**
 * Trains, evaluates and saves one run; throws StudioError on divergence or bad data. With
 * `restored` (from a checkpoint) it continues that run from the iteration after the checkpoint;
 * a fine-tune (`request.fineTune`) starts from its parent's weights and mixes in the person's digits.
 */
export async function trainRun(runId: string, request: TrainJob, ctx: EngineContext, restored?: RestoredRun): Promise<void> {
  const train = request.trainLimit
    ? sliceSplit(ctx.dataset.train, 0, Math.min(request.trainLimit, ctx.dataset.train.count))
    : ctx.dataset.train;
  const state = initialState(runId, request, train.count, restored);
  const { hp, seed } = state;
  const fineTune = request.fineTune;
  const model = restored?.model ?? (fineTune ? await parentModel(ctx.store, fineTune.parent.runId, hp) : buildModel(hp, seed));
  const optimizer = restored?.optimizer ?? makeOptimizer(hp);
  const stepper = createStepper(model, optimizer, { hyperparams: hp, seed, backend: ctx.backend });
  const mix = fineTune && { digits: fineTune.digits, mixRatio: fineTune.parent.mixRatio };
  const source = trainBatches(train, hp, seed, mix);
  source.seek(state.done);
  // Dropout masks carry on from where the checkpointed run left them.
  for (const layer of model.layers) if (layer instanceof SeededDropout) layer.callCount = state.done;
  const checkpoint = (it: number) => saveCheckpoint(ctx.store, runId, request, progressOf(state, it), model, optimizer);
  try {
    const resumedFrom = restored ? { iteration: state.done, history: state.history } : undefined;
    ctx.emit({
      type: 'started',
      runId,
      totalIterations: state.total,
      backend: ctx.backend,
      hyperparams: hp,
      seed,
      ...(resumedFrom ? { resumedFrom } : {}),
    });
    const iterations = await fit(model, stepper, source, state, ctx, {
      every: request.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL,
      save: checkpoint,
    });
    await finish(model, stepper, state, iterations, request, ctx);
  } finally {
    stepper.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

function progressOf(state: RunState, iteration: number): LoopProgress {
  return {
    seed: state.seed,
    iteration,
    totalIterations: state.total,
    history: state.history,
    trainMs: state.trainMs,
    samples: state.samples,
    elapsedMs: performance.now() - state.startedAt,
  };
}

/** When to save a checkpoint (every `every` iterations; 0 = never) and how. */
interface CheckpointPlan {
  every: number;
  save(iteration: number): Promise<void>;
}

/** A failed checkpoint costs only the ability to resume: training goes on, and says so once. */
async function trySave(plan: CheckpointPlan, it: number, state: RunState): Promise<void> {
  try {
    await plan.save(it);
  } catch (err) {
    if (!state.checkpointWarned) console.warn(`Could not save a checkpoint of ${state.runId}: ${(err as Error).message}`);
    state.checkpointWarned = true;
  }
}

async function fit(
  model: tf.LayersModel,
  stepper: Stepper,
  source: TrainBatches,
  state: RunState,
  ctx: EngineContext,
  plan: CheckpointPlan,
): Promise<number> {
  const { hp, total } = state;
  for (let it = state.done + 1; it <= total; it++) {
    const isReport = it % DISPLAY_EVERY === 0 || it === total;
    const batch = source.batch(it - 1);
    const t0 = performance.now();
    // Every step measures its accuracy (three small ops on [B, 10]): a stop may end the run
    // after any iteration, and the final progress reports that batch.
    const step = await stepper.step(batch, true);
    state.trainMs += performance.now() - t0;
    state.samples += batch.labels.length;
    state.last = step;
    if (isDiverged(step.loss)) throw divergedError(it, step.loss, state);
    if (isReport) state.history.train.push({ iteration: it, ...step });
    const isValidation = hp.validationInterval > 0 && it % hp.validationInterval === 0;
    if ((isReport || isValidation) && it !== total) {
      emitProgress(state, it, isValidation ? await validate(stepper, state, it, ctx) : undefined, ctx);
    }
    if (plan.every > 0 && it % plan.every === 0 && it !== total) await trySave(plan, it, state);
    await ctx.yieldToEvents();
    if (ctx.isStopRequested()) return it;
  }
  return total;
}

function emitProgress(state: RunState, it: number, validation: { loss: number; accuracy: number } | undefined, ctx: EngineContext): void {
  const elapsedMs = performance.now() - state.startedAt;
  ctx.emit({
    type: 'progress',
    runId: state.runId,
    iteration: it,
    totalIterations: state.total,
    epoch: Math.floor((it - 1) / state.perEpoch) + 1,
    loss: state.last.loss,
    accuracy: state.last.accuracy,
    samplesPerSec: state.trainMs > 0 ? state.samples / (state.trainMs / 1000) : 0,
    elapsedMs,
    etaMs: it >= state.total ? 0 : (elapsedMs / it) * (state.total - it),
    ...(validation ? { validation } : {}),
  });
}

async function validate(stepper: Stepper, state: RunState, it: number, ctx: EngineContext): Promise<{ loss: number; accuracy: number }> {
  const score = await stepper.score(ctx.dataset.validation);
  state.history.validation.push({ iteration: it, ...score });
  return score;
}

async function finish(
  model: tf.LayersModel,
  stepper: Stepper,
  state: RunState,
  iterations: number,
  request: TrainJob,
  ctx: EngineContext,
): Promise<void> {
  const stopped = iterations < state.total;
  // Score the final weights on the validation images too, unless that just happened.
  const latest = state.history.validation.at(-1);
  const validation =
    latest?.iteration === iterations ? { loss: latest.loss, accuracy: latest.accuracy } : await validate(stepper, state, iterations, ctx);
  // The last curve point goes out before the test set is scored, which takes a moment.
  emitProgress(state, iterations, validation, ctx);
  const testSplit = request.testLimit ? sliceSplit(ctx.dataset.test, 0, request.testLimit) : ctx.dataset.test;
  const test = await evaluateModel(model, testSplit);
  const elapsedMs = performance.now() - state.startedAt;
  const record = buildRecord(state, iterations, stopped, elapsedMs, test, request, ctx);
  await ctx.store.saveRun(record, await modelToFiles(model));
  await deleteCheckpoint(ctx.store, state.runId).catch(() => undefined);
  // `done` is the last thing a run does: a sweep starts its next trial the moment it arrives,
  // and the worker refuses a start while the previous run is still awaiting anything.
  const { misclassified: _inRunJson, ...summary } = test;
  ctx.emit({ type: 'done', runId: state.runId, stopped, iterations, elapsedMs, test: summary });
}

function buildRecord(
  state: RunState,
  iterations: number,
  stopped: boolean,
  elapsedMs: number,
  test: TestResults,
  request: TrainJob,
  ctx: EngineContext,
): RunRecord {
  return {
    formatVersion: 1,
    runId: state.runId,
    name: request.name?.trim() || `${state.hp.cell.toUpperCase()} ${state.hp.units}`,
    createdAt: new Date().toISOString(),
    hyperparams: state.hp,
    seed: state.seed,
    backend: ctx.backend,
    iterations,
    stopped,
    testAccuracy: test.accuracy,
    testCount: test.count,
    versions: ctx.versions,
    elapsedMs,
    history: state.history,
    test,
    ...(request.sweep ? { sweep: request.sweep } : {}),
    ...(request.fineTune ? { parent: request.fineTune.parent } : {}),
  };
}
