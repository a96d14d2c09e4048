/**
 * ASHA's stopping rule on a synthetic schedule of validation scores: each trial, in turn, is
 * stopped at a rung exactly when it scores below the (1 − 1/η) quantile of the earlier trials'
 * scores there, as Ray Tune's ASHAScheduler decides.
 */
import { describe, expect, it } from 'vitest';
import { quantile, rungCutoff, shouldStopAtRung } from '../../../../main/service/asha';

/** Plays a schedule: scores[trial][rung]; returns, per trial, the rung it stopped at (or null). */
function play(scores: number[][], eta: number): (number | null)[] {
  const seen: number[][] = scores[0].map(() => []);
  return scores.map((trial) => {
    for (let rung = 0; rung < trial.length; rung++) {
      const stop = shouldStopAtRung(seen[rung], trial[rung], eta);
      seen[rung].push(trial[rung]);
      if (stop) return rung;
    }
    return null;
  });
}

describe('ASHA', () => {
  it('interpolates quantiles as numpy does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([0.1, 0.5, 0.9], 2 / 3)).toBeCloseTo(0.6333, 4);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('lets the first trial at a rung go on, and cuts below the top 1/η of the earlier ones', () => {
    expect(rungCutoff([], 3)).toBeNull();
    expect(shouldStopAtRung([], 0.01, 3)).toBe(false);
    expect(shouldStopAtRung([0.5], 0.49, 3)).toBe(true);
    expect(shouldStopAtRung([0.5], 0.5, 3)).toBe(false); // a tie goes on
    expect(shouldStopAtRung([0.9], Number.NaN, 3)).toBe(true);
  });

  it('stops exactly the trials its rule says on a schedule of scores (η = 3, two rungs)', () => {
    const schedule = [
      [0.5, 0.7], // first: always on
      [0.6, 0.8], // above 0.5 at rung 0; above 0.7 at rung 1
      [0.4, 0.9], // rung 0 cutoff = quantile([0.5, 0.6], 2/3) = 0.5667: stops at rung 0
      [0.58, 0.75], // rung 0 cutoff = quantile([0.4, 0.5, 0.6], 2/3) = 0.5333: on; rung 1 cutoff = quantile([0.7, 0.8], 2/3) = 0.7667: stops
      [0.9, 0.95], // best so far everywhere: on
    ];
    expect(play(schedule, 3)).toEqual([null, null, 0, 1, null]);
  });

  it('with η = 2 keeps those at or above the earlier median', () => {
    // 0.2 < 0.3 stops; 0.25 = median(0.3, 0.2) goes on; 0.4 goes on; 0.26 < median(0.2, 0.25, 0.3, 0.4) = 0.275 stops.
    expect(play([[0.3], [0.2], [0.25], [0.4], [0.26]], 2)).toEqual([null, 0, null, null, 0]);
  });
});
