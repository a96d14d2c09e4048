/** Small sweep states for the renderer's sweep helpers' tests, built in code. */
import { DEFAULT_HYPERPARAMS } from '../../../common/api';
import type { Hyperparams } from '../../../common/api';
import { SweepPlanSchema } from '../../../common/sweep';
import type { SweepableField, SweepState, SweepTrial } from '../../../common/sweep';

/** A finished trial; `overrides` sets whatever the test is about. */
export function trial(
  index: number,
  configIndex: number,
  hyperparams: Partial<Hyperparams>,
  overrides: Partial<SweepTrial> = {},
): SweepTrial {
  const best = overrides.bestValidation ?? 0.9;
  return {
    index,
    configIndex,
    hyperparams: { ...DEFAULT_HYPERPARAMS, budget: 40, ...hyperparams },
    status: 'done',
    runId: `run-${index}`,
    rungScores: [],
    iterations: 40,
    totalIterations: 40,
    bestValidation: best,
    finalValidation: best,
    testAccuracy: best,
    wallMs: 1000,
    validation: [
      { iteration: 20, accuracy: best - 0.1 },
      { iteration: 40, accuracy: best },
    ],
    error: null,
    ...overrides,
  };
}

/** A sweep of `trials`, varying `varied`. */
export function sweepState(trials: SweepTrial[], varied: SweepableField[] = ['units']): SweepState {
  return {
    formatVersion: 1,
    sweepId: 'sweep-test',
    name: 'Test sweep',
    createdAt: '2026-12-01T10:00:00.000Z',
    plan: SweepPlanSchema.parse({ base: { budget: 40 }, vary: { units: { mode: 'list', values: [8, 16] } } }),
    varied,
    rungs: [],
    status: 'done',
    trials,
  };
}

/** Units 8 and 16, two seeds each: 16 is better (0.92, 0.94 against 0.85, 0.87). */
export function unitsSweep(): SweepState {
  return sweepState([
    trial(0, 0, { units: 8, seed: 1 }, { bestValidation: 0.85 }),
    trial(1, 0, { units: 8, seed: 2 }, { bestValidation: 0.87 }),
    trial(2, 1, { units: 16, seed: 1 }, { bestValidation: 0.94 }),
    trial(3, 1, { units: 16, seed: 2 }, { bestValidation: 0.92 }),
  ]);
}
