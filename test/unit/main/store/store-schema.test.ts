import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { RunRecord } from '../../../../common/api';
import { RunRecordSchema, expectedWeightBytes, parseModelJson, parseRunRecord } from '../../../../main/store/store-schema';
import { makeFiles, makeRecord } from '../engine/run-fixtures';

/** The message parseRunRecord throws for `record` after `edit`, via JSON as on disk. */
function problemWith(edit: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(JSON.stringify(makeRecord('r1'))) as Record<string, unknown>;
  edit(json);
  try {
    parseRunRecord(json, 'r1/run.json');
  } catch (err) {
    return (err as Error).message;
  }
  return 'no problem';
}

describe('RunRecordSchema', () => {
  it('has exactly the RunRecord type of api.ts', () => {
    expectTypeOf<z.output<typeof RunRecordSchema>>().toEqualTypeOf<RunRecord>();
  });

  it('reads a loss that JSON wrote as null back as NaN', () => {
    const json = JSON.parse(
      JSON.stringify(makeRecord('r1', { history: { train: [{ iteration: 10, loss: Number.NaN, accuracy: 0.1 }], validation: [] } })),
    );
    expect(parseRunRecord(json, 'run.json').history.train[0].loss).toBeNaN();
  });
});

describe('parseRunRecord()', () => {
  const hyperparams = (json: Record<string, unknown>) => json.hyperparams as Record<string, unknown>;

  it.each([
    [
      'a fractional units',
      (j: Record<string, unknown>) => (hyperparams(j).units = 12.5),
      'hyperparams.units: expected a whole number, got 12.5',
    ],
    ['units as text', (j: Record<string, unknown>) => (hyperparams(j).units = 'abc'), 'hyperparams.units: expected a number, got "abc"'],
    ['units of 0', (j: Record<string, unknown>) => (hyperparams(j).units = 0), 'hyperparams.units: expected at least 1, got 0'],
    [
      'an unknown cell',
      (j: Record<string, unknown>) => (hyperparams(j).cell = 'tcn'),
      'hyperparams.cell: expected "lstm" or "gru" or "rnn", got "tcn"',
    ],
    ['a stray hyperparameter', (j: Record<string, unknown>) => (hyperparams(j).momentum = 0.9), 'hyperparams: unexpected field "momentum"'],
    [
      'a missing backend',
      (j: Record<string, unknown>) => delete j.backend,
      'backend: expected "tensorflow" or "wasm" or "cpu", got nothing',
    ],
    [
      'a text loss',
      (j: Record<string, unknown>) => ((j.history as { train: { loss: unknown }[] }).train[0].loss = 'x'),
      'history.train[0].loss: expected a number, got "x"',
    ],
    ['a bad date', (j: Record<string, unknown>) => (j.createdAt = 'yesterday'), 'createdAt: expected a date, got "yesterday"'],
    ['a newer format', (j: Record<string, unknown>) => (j.formatVersion = 2), 'formatVersion: expected 1, got 2'],
  ])('names the field and the value for %s', (_what, edit, message) => {
    expect(problemWith(edit)).toBe(`r1/run.json: ${message}`);
  });

  it('counts the further problems', () => {
    expect(problemWith((j) => ((j.seed = -1), (j.stopped = 'no')))).toMatch(
      /^r1\/run\.json: seed: expected at least 0, got -1 \(and 1 more problem\)$/,
    );
  });
});

describe('expectedWeightBytes()', () => {
  it('counts 4 bytes per float32 and the stored size of quantized weights', () => {
    const modelJson = parseModelJson(
      {
        modelTopology: {},
        weightsManifest: [
          {
            paths: ['weights.bin'],
            weights: [
              { name: 'a', shape: [2, 3], dtype: 'float32' },
              { name: 'b', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } },
              { name: 'c', shape: [], dtype: 'int32' },
            ],
          },
        ],
      },
      'model.json',
    );
    expect(expectedWeightBytes(modelJson)).toBe(24 + 4 + 4);
    expect(expectedWeightBytes(makeFiles().modelJson)).toBe(36);
  });

  it('rejects a manifest that points at other weight files', () => {
    const json = { modelTopology: {}, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }] };
    expect(() => parseModelJson(json, 'model.json')).toThrow(
      'model.json: weightsManifest[0].paths[0]: expected "./weights.bin" or "weights.bin", got "group1-shard1of1.bin"',
    );
  });
});
