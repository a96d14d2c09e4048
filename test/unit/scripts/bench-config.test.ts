import { describe, expect, it } from 'vitest';
import { DEFAULT_HYPERPARAMS } from '../../../common/api';
import { configLabel, MATRIX, parseConfig } from '../../../scripts/bench-config';

describe('parseConfig', () => {
  it('changes the classic configuration by the keys given', () => {
    expect(parseConfig('cell=gru,units=256,layers=2,batch=64,dropout=0.2')).toEqual({
      ...DEFAULT_HYPERPARAMS,
      cell: 'gru',
      units: 256,
      layers: 2,
      batchSize: 64,
      dropout: 0.2,
      seed: 1,
    });
    expect(parseConfig('')).toEqual({ ...DEFAULT_HYPERPARAMS, seed: 1 });
  });

  it('refuses unknown keys, pairs without a value and values the form refuses, naming the key', () => {
    expect(() => parseConfig('cells=gru')).toThrow(/"cells=gru" is not key=value/);
    expect(() => parseConfig('units')).toThrow(/"units" is not key=value/);
    expect(() => parseConfig('units=0')).toThrow(/--config: units:/);
    expect(() => parseConfig('cell=transformer')).toThrow(/--config: cell:/);
    expect(() => parseConfig('layers=9')).toThrow(/--config: layers:/);
  });
});

describe('MATRIX', () => {
  it('holds only configurations the form accepts, and spans its cells, layers, sizes and optimizers', () => {
    const configs = MATRIX.map(parseConfig);
    expect(new Set(configs.map((h) => h.cell))).toEqual(new Set(['lstm', 'gru', 'rnn']));
    expect(new Set(configs.map((h) => h.optimizer))).toEqual(new Set(['adam', 'sgd', 'rmsprop']));
    expect(Math.max(...configs.map((h) => h.layers))).toBe(4);
    expect(configs.some((h) => h.units % 8 !== 0)).toBe(true);
    expect(Math.min(...configs.map((h) => h.batchSize))).toBe(16);
    expect(Math.max(...configs.map((h) => h.batchSize))).toBe(1024);
    expect(configs.some((h) => h.dropout > 0)).toBe(true);
    expect(new Set(configs.map(configLabel)).size).toBe(configs.length);
  });
});
