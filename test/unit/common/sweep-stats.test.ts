import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMS } from '../../../common/api';
import type { SweepTrial } from '../../../common/sweep';
import { bestConfig, groupByConfig, spread } from '../../../common/sweep-stats';

function trial(index: number, configIndex: number, best: number | null, status: SweepTrial['status'] = 'done'): SweepTrial {
  return {
    index,
    configIndex,
    hyperparams: { ...DEFAULT_HYPERPARAMS, units: 8 * (configIndex + 1), seed: index },
    status,
    runId: `r${index}`,
    rungScores: [],
    iterations: 10,
    totalIterations: 10,
    bestValidation: best,
    finalValidation: best,
    testAccuracy: best,
    wallMs: 1,
    validation: [],
    error: null,
  };
}

describe('sweep statistics', () => {
  it('give the mean and the sample standard deviation, none with one value', () => {
    expect(spread([0.9, 0.92, 0.94])).toEqual({ mean: expect.closeTo(0.92, 10), std: expect.closeTo(0.02, 10), count: 3 });
    expect(spread([0.9, null])).toEqual({ mean: 0.9, std: null, count: 1 });
    expect(spread([null, Number.NaN])).toBeNull();
  });

  it('group seeds by configuration, and pick the best configuration among those run to the end', () => {
    const trials = [
      trial(0, 0, 0.9),
      trial(1, 0, 0.92),
      trial(2, 1, 0.97, 'pruned'),
      trial(3, 1, 0.2),
      trial(4, 2, 0.93),
      trial(5, 2, 0.95),
    ];
    const groups = groupByConfig(trials);
    expect(groups.map((g) => [g.configIndex, g.trials.length, g.hyperparams.units])).toEqual([
      [0, 2, 8],
      [1, 2, 16],
      [2, 2, 24],
    ]);
    expect(groups[2].bestValidation).toEqual({ mean: expect.closeTo(0.94, 10), std: expect.closeTo(Math.SQRT2 * 0.01, 10), count: 2 });
    expect('seed' in groups[0].hyperparams).toBe(false);
    expect(bestConfig(groups)?.configIndex).toBe(2); // config 1 has the single best score, but a pruned seed
  });
});
