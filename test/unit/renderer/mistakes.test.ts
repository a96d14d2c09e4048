import { describe, expect, it } from 'vitest';
import type { Hyperparams, Misclassified } from '../../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../../common/api';
import { differingKeys } from '../../../renderer/src/lib/compare';
import { confidenceOf, countMistakes, selectMistakes } from '../../../renderer/src/lib/mistakes';

const mistake = (index: number, label: number, predicted: number, p: number): Misclassified => {
  const probabilities = new Array(10).fill(0);
  probabilities[predicted] = p;
  return { index, label, predicted, probabilities, pixels: [] };
};

describe('selectMistakes', () => {
  const items = [mistake(1, 4, 9, 0.6), mistake(2, 4, 9, 0.9), mistake(3, 7, 1, 0.99)];

  it('sorts all mistakes by confidence, most confident first', () => {
    expect(selectMistakes(items, null).map((m) => m.index)).toEqual([3, 2, 1]);
  });

  it('filters to one label → predicted pair', () => {
    expect(selectMistakes(items, { label: 4, predicted: 9 }).map((m) => m.index)).toEqual([2, 1]);
  });

  it('does not reorder the input', () => {
    selectMistakes(items, null);
    expect(items.map((m) => m.index)).toEqual([1, 2, 3]);
  });

  it('reads the confidence of the wrong answer', () => {
    expect(confidenceOf(items[0])).toBe(0.6);
  });
});

describe('countMistakes', () => {
  it('sums everything off the diagonal', () => {
    expect(
      countMistakes([
        [5, 1],
        [2, 7],
      ]),
    ).toBe(3);
  });
});

describe('differingKeys', () => {
  it('lists the hyperparameters that differ between runs', () => {
    const other: Hyperparams = { ...DEFAULT_HYPERPARAMS, units: 64, learningRate: 0.01 };
    expect([...differingKeys([DEFAULT_HYPERPARAMS, other])].sort()).toEqual(['learningRate', 'units']);
  });

  it('finds nothing to compare for a single run', () => {
    expect(differingKeys([DEFAULT_HYPERPARAMS]).size).toBe(0);
  });
});
