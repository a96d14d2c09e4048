/**
 * How long a trial will take, roughly: floating-point work per sample from the configuration's
 * size (the recurrent products dominate: 28 steps × gates × units × (inputs + units) multiply-
 * adds per layer, three times that to train), divided by this machine's rate as its saved runs
 * show it. Good to a factor of about 1.5, which is what "roughly how long" needs; the sweep's
 * ETA rescales it by how the finished trials actually went.
 */
import { CLASSES, FEATURES, TIME_STEPS, VALIDATION_COUNT } from '../../common/mnist';
import { totalIterations } from '../../common/hyperparams';
import type { Hyperparams, RunSummary } from '../../common/api';

const GATES: Record<Hyperparams['cell'], number> = { lstm: 4, gru: 3, rnn: 1 };
/** Forward + backward ≈ 3 × forward. */
const TRAIN_FACTOR = 3;
/** Fixed cost of one iteration (batch assembly, messages, the optimizer's update), ms. */
const ITERATION_OVERHEAD_MS = 2;
/**
 * The classic model's rate on the 2-core build machine (README, "Speed": about 3,400 samples/s,
 * 13.4 MFLOP per trained sample): the estimate before this machine has a saved run of its own.
 */
export const DEFAULT_FLOPS_PER_MS = 45e6;
const TEST_IMAGES = 10_000;

/** Floating-point operations to read one image forward. */
export function forwardFlops(hp: Pick<Hyperparams, 'cell' | 'units' | 'layers'>): number {
  let flops = 0;
  for (let layer = 0; layer < hp.layers; layer++) {
    const inputs = layer === 0 ? FEATURES : hp.units;
    flops += 2 * TIME_STEPS * GATES[hp.cell] * hp.units * (inputs + hp.units);
  }
  return flops + 2 * hp.units * CLASSES;
}

export interface TrialSize {
  hyperparams: Hyperparams;
  trainLimit?: number;
  testLimit?: number;
}

/** Milliseconds for one trial at `flopsPerMs`: training, its validation passes and the test pass. */
export function estimateTrialMs({ hyperparams: hp, trainLimit, testLimit }: TrialSize, flopsPerMs: number): number {
  const iterations = totalIterations(hp, trainLimit);
  const forward = forwardFlops(hp);
  const trainMs = iterations * (ITERATION_OVERHEAD_MS + (hp.batchSize * TRAIN_FACTOR * forward) / flopsPerMs);
  const validations = hp.validationInterval > 0 ? Math.floor(iterations / hp.validationInterval) + 1 : 1;
  const evaluateMs = ((validations * VALIDATION_COUNT + (testLimit ?? TEST_IMAGES)) * forward) / flopsPerMs;
  return trainMs + evaluateMs;
}

/**
 * This machine's rate from its saved runs: for each, the rate that makes the model match the
 * run's wall time; the median of those, so one odd run does not skew it.
 */
export function machineRate(runs: readonly Pick<RunSummary, 'hyperparams' | 'iterations' | 'elapsedMs'>[]): number | null {
  const rates: number[] = [];
  for (const run of runs) {
    if (run.iterations <= 0 || !(run.elapsedMs > 0)) continue;
    const hp = { ...run.hyperparams, budgetUnit: 'iterations' as const, budget: run.iterations };
    const atUnitRate = estimateTrialMs({ hyperparams: hp }, 1) - run.iterations * ITERATION_OVERHEAD_MS;
    const workMs = run.elapsedMs - run.iterations * ITERATION_OVERHEAD_MS;
    if (workMs > 0) rates.push(atUnitRate / workMs);
  }
  if (rates.length === 0) return null;
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}
