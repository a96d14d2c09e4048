/**
 * A sweep's trials grouped by configuration across seeds: mean and sample standard deviation of
 * each score, and the best configuration. Pure; the renderer's results table, the CLI's summary
 * and the tests all read the same numbers.
 */
import type { Hyperparams } from './hyperparams';
import type { SweepTrial } from './sweep';

export interface Spread {
  mean: number;
  /** Sample standard deviation (n − 1); null with fewer than two values. */
  std: number | null;
  count: number;
}

export interface ConfigResult {
  configIndex: number;
  /** The configuration, seed left out. */
  hyperparams: Omit<Hyperparams, 'seed'>;
  trials: SweepTrial[];
  bestValidation: Spread | null;
  finalValidation: Spread | null;
  testAccuracy: Spread | null;
}

/** Mean and sample standard deviation of the finite values; null when there are none. */
export function spread(values: readonly (number | null)[]): Spread | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return null;
  const mean = finite.reduce((sum, v) => sum + v, 0) / finite.length;
  if (finite.length < 2) return { mean, std: null, count: 1 };
  const variance = finite.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (finite.length - 1);
  return { mean, std: Math.sqrt(variance), count: finite.length };
}

/** One entry per configuration, in plan order. Pruned and stopped trials count with the scores they reached. */
export function groupByConfig(trials: readonly SweepTrial[]): ConfigResult[] {
  const groups = new Map<number, SweepTrial[]>();
  for (const trial of trials) groups.set(trial.configIndex, [...(groups.get(trial.configIndex) ?? []), trial]);
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([configIndex, members]) => {
      const { seed: _seed, ...hyperparams } = members[0].hyperparams;
      return {
        configIndex,
        hyperparams,
        trials: members,
        bestValidation: spread(members.map((t) => t.bestValidation)),
        finalValidation: spread(members.map((t) => t.finalValidation)),
        testAccuracy: spread(members.map((t) => t.testAccuracy)),
      };
    });
}

/**
 * The configuration with the highest mean best-validation accuracy among those whose every
 * seed ran to the end (a pruned configuration is never "best": it did not get the full budget);
 * null when none has.
 */
export function bestConfig(results: readonly ConfigResult[]): ConfigResult | null {
  let best: ConfigResult | null = null;
  for (const result of results) {
    if (!result.bestValidation || !result.trials.every((t) => t.status === 'done')) continue;
    if (!best || result.bestValidation.mean > (best.bestValidation?.mean ?? -Infinity)) best = result;
  }
  return best;
}
