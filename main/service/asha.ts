/**
 * Asynchronous successive halving (ASHA, Li et al. 2020), in the stopping form Ray Tune's
 * ASHAScheduler uses: when a trial reaches a rung, it stops if its score is below the
 * (1 − 1/η) quantile of the scores earlier trials had at that rung; the first trial at a rung
 * always goes on. Trials run one after another here, so "earlier" is simply "before it". Pure.
 */

/** The score a trial must reach at a rung to go on; null when no trial has been there yet. */
export function rungCutoff(earlier: readonly number[], reductionFactor: number): number | null {
  const scores = earlier.filter((s) => Number.isFinite(s)).sort((a, b) => a - b);
  if (scores.length === 0) return null;
  return quantile(scores, 1 - 1 / reductionFactor);
}

/** True when a trial scoring `score` at a rung should stop, given the earlier trials' scores there. */
export function shouldStopAtRung(earlier: readonly number[], score: number, reductionFactor: number): boolean {
  if (!Number.isFinite(score)) return true; // a diverged trial learns nothing more
  const cutoff = rungCutoff(earlier, reductionFactor);
  return cutoff !== null && score < cutoff;
}

/** The q-quantile of sorted values, interpolated linearly between neighbours (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
