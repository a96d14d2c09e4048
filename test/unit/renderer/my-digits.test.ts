import { describe, expect, it } from 'vitest';
import type { FineTuneReport, MyDigit, MyDigitsScore } from '../../../common/api';
import { byLabel, fineTuneVerdict, otherPart, partWord, pointsChange, scoreText } from '../../../renderer/src/lib/my-digits';

const digit = (id: string, label: number): MyDigit => ({ id, label, part: 'score', createdAt: '', pixels: [] });
const score = (accuracy: number | null, count: number): MyDigitsScore => ({
  runId: 'r',
  revision: 1,
  count,
  correct: 0,
  accuracy,
  perDigit: [],
  answers: [],
  excluded: 0,
});
const report = (mine: [number | null, number | null], mnist: [number | null, number | null]): FineTuneReport => ({
  runId: 'child',
  parentRunId: 'parent',
  parentName: 'Classic',
  before: { myDigits: score(mine[0], 12), testAccuracy: mnist[0] },
  after: { myDigits: score(mine[1], 12), testAccuracy: mnist[1] },
  testCount: 10_000,
  trainedOn: 12,
  mixRatio: 0.25,
});

describe('my digits wording', () => {
  it('names the parts and the other part', () => {
    expect(partWord('fine-tune')).toBe('fine-tuning');
    expect(partWord('score')).toBe('scoring');
    expect(otherPart('score')).toBe('fine-tune');
  });

  it('groups digits by label, in label order, leaving empty labels out', () => {
    const rows = byLabel([digit('a', 7), digit('b', 1), digit('c', 7)]);
    expect(rows.map((r) => [r.label, r.digits.map((d) => d.id)])).toEqual([
      [1, ['b']],
      [7, ['a', 'c']],
    ]);
  });

  it('says a change in signed points', () => {
    expect(pointsChange(0.583, 0.77)).toBe('+18.7 points');
    expect(pointsChange(0.9384, 0.9332)).toBe('\u22120.5 points');
    expect(pointsChange(0.5, 0.5)).toBe('no change');
  });

  it('says whether a fine-tune learnt the hand and kept MNIST', () => {
    expect(fineTuneVerdict(report([0.5, 0.75], [0.95, 0.947]))).toBe(
      'On your 12 score digits: +25.0 points; MNIST kept (\u22120.3 points).',
    );
    expect(fineTuneVerdict(report([0.5, 0.75], [0.95, 0.9]))).toBe(
      'On your 12 score digits: +25.0 points; it forgot some MNIST (\u22125.0 points).',
    );
    expect(fineTuneVerdict(report([null, null], [null, 0.9]))).toBe(
      'No score digits to measure your handwriting on yet: move some to scoring.',
    );
  });

  it('shows a missing score as a dash', () => {
    expect(scoreText(null)).toBe('\u2014');
    expect(scoreText(0.5)).toBe('50.0 %');
  });
});
