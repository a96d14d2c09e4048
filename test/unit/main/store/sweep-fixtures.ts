/** A small valid SweepState for store tests. */
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import { SweepPlanSchema } from '../../../../common/sweep';
import type { SweepState } from '../../../../common/sweep';

export function makeSweepState(sweepId: string, overrides: Partial<SweepState> = {}): SweepState {
  const plan = SweepPlanSchema.parse({ base: {}, vary: { units: { mode: 'list', values: [8, 16] } } });
  return {
    formatVersion: 1,
    sweepId,
    name: 'fixture',
    createdAt: '2026-12-02T01:00:00.000Z',
    plan,
    varied: ['units'],
    rungs: [],
    status: 'done',
    trials: [8, 16].map((units, index) => ({
      index,
      configIndex: index,
      hyperparams: { ...DEFAULT_HYPERPARAMS, units, seed: 1 },
      status: 'done' as const,
      runId: `run-${index}`,
      rungScores: [],
      iterations: 800,
      totalIterations: 800,
      bestValidation: 0.9 + index / 100,
      finalValidation: 0.9,
      testAccuracy: 0.9,
      wallMs: 1000,
      validation: [{ iteration: 800, accuracy: 0.9 }],
      error: null,
    })),
    ...overrides,
  };
}
