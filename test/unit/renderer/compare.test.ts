import { describe, expect, it } from 'vitest';
import { AUGMENTATION_FIELDS } from '../../../common/augment';
import { DEFAULT_HYPERPARAMS } from '../../../common/api';
import { differingKeys, HYPERPARAM_KEYS, tableRows } from '../../../renderer/src/lib/compare';

describe('HYPERPARAM_KEYS', () => {
  it('lists every hyperparameter once', () => {
    expect([...HYPERPARAM_KEYS].sort()).toEqual(Object.keys(DEFAULT_HYPERPARAMS).sort());
  });
});

describe('tableRows', () => {
  it('sums up augmentation in one row, where its fields would be, when no run uses it', () => {
    const rows = tableRows([DEFAULT_HYPERPARAMS, { ...DEFAULT_HYPERPARAMS, units: 64 }]);
    for (const field of AUGMENTATION_FIELDS) expect(rows).not.toContain(field);
    expect(rows[rows.indexOf('batchSize') + 1]).toBe('augmentation');
    expect(rows).toHaveLength(HYPERPARAM_KEYS.length - AUGMENTATION_FIELDS.length + 1);
  });

  it('lists all five augmentation fields when any run uses one', () => {
    expect(tableRows([DEFAULT_HYPERPARAMS, { ...DEFAULT_HYPERPARAMS, elastic: 1 }])).toEqual(HYPERPARAM_KEYS);
  });
});

describe('differingKeys', () => {
  it('finds an augmentation setting that differs', () => {
    expect([...differingKeys([DEFAULT_HYPERPARAMS, { ...DEFAULT_HYPERPARAMS, rotation: 10 }])]).toEqual(['rotation']);
  });
});
