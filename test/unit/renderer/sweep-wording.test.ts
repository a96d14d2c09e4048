import { describe, expect, it } from 'vitest';
import { formatApproxDuration } from '../../../renderer/src/lib/format';
import { isResumable, rungText, sweepProgressText, trialCountText } from '../../../renderer/src/lib/sweep-wording';

describe('trialCountText', () => {
  it('says configurations × seeds = trials, in singular where it applies', () => {
    expect(trialCountText(3, 2, 6)).toBe('3 configurations × 2 seeds = 6 trials');
    expect(trialCountText(1, 1, 1)).toBe('1 configuration × 1 seed = 1 trial');
  });
});

describe('rungText', () => {
  it('names the share stopped and the rung iterations', () => {
    expect(rungText(3, [100, 300])).toBe('stops the worst 2/3 at iterations 100 and 300');
    expect(rungText(2, [400])).toBe('stops the worst 1/2 at iteration 400');
    expect(rungText(4, [10, 50, 200])).toBe('stops the worst 3/4 at iterations 10, 50 and 200');
    expect(rungText(3, [])).toMatch(/no rung/);
  });
});

describe('isResumable', () => {
  it('offers interrupted and stopped sweeps with trials left, never a finished or running one', () => {
    expect(isResumable({ status: 'interrupted', finished: 5, trialCount: 12 })).toBe(true);
    expect(isResumable({ status: 'stopped', finished: 5, trialCount: 12 })).toBe(true);
    expect(isResumable({ status: 'stopped', finished: 12, trialCount: 12 })).toBe(false);
    expect(isResumable({ status: 'done', finished: 12, trialCount: 12 })).toBe(false);
    expect(isResumable({ status: 'running', finished: 5, trialCount: 12 })).toBe(false);
  });
});

describe('sweepProgressText', () => {
  it('says how far a sweep got', () => {
    expect(sweepProgressText({ name: 'LR', status: 'interrupted', finished: 5, trialCount: 12 })).toBe(
      'Sweep “LR” was interrupted after 5 of 12 trials',
    );
    expect(sweepProgressText({ name: 'LR', status: 'done', finished: 4, trialCount: 4 })).toBe('Sweep “LR” finished with 4 trials');
    expect(sweepProgressText({ name: 'LR', status: 'running', finished: 1, trialCount: 4 })).toBe(
      'Sweep “LR” is running: 1 of 4 trials done',
    );
  });
});

describe('formatApproxDuration', () => {
  it('rounds to minutes and says hours where there are any', () => {
    expect(formatApproxDuration(20_000)).toBe('under a minute');
    expect(formatApproxDuration(12 * 60_000)).toBe('12 min');
    expect(formatApproxDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(formatApproxDuration(120 * 60_000)).toBe('2 h');
    expect(formatApproxDuration(-1)).toBe('—');
  });
});
