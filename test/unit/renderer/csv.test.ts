import { describe, expect, it } from 'vitest';
import { csvCell, csvFileName, historyRecords, resultRecords, testRecords, toCsv } from '../../../renderer/src/lib/csv';
import { configRows, resultColumns, trialRows } from '../../../renderer/src/lib/sweep-rows';
import { unitsSweep } from './sweep-fixtures';

describe('csvCell', () => {
  it('leaves plain text and numbers as they are and empties null', () => {
    expect(csvCell('done')).toBe('done');
    expect(csvCell(0.9375)).toBe('0.9375');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@sum')).toBe("'@sum");
  });
});

describe('toCsv', () => {
  it('joins records with CRLF and ends with one', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('a,b\r\n1,\r\n');
  });
});

describe('resultRecords', () => {
  it('writes a header of column ids and one record per trial at full precision, run ids last', () => {
    const state = unitsSweep();
    const records = resultRecords(resultColumns(state.varied, false), trialRows(state), false);
    expect(records[0]).toEqual([
      'trial',
      'units',
      'seed',
      'bestValidation',
      'finalValidation',
      'testAccuracy',
      'iterations',
      'totalIterations',
      'status',
      'wallMs',
      'runId',
    ]);
    expect(records).toHaveLength(5);
    expect(records[3]).toEqual([3, 16, 1, 0.94, 0.94, 0.94, 40, 40, 'done', 1000, 'run-2']);
  });

  it('gives each score of a configuration row its mean and std', () => {
    const state = unitsSweep();
    const records = resultRecords(resultColumns(state.varied, true), configRows(state), true);
    expect(records[0].slice(0, 5)).toEqual(['config', 'units', 'seeds', 'bestValidation mean', 'bestValidation std']);
    expect(records[0].at(-1)).toBe('runIds');
    expect(records[2][3]).toBeCloseTo(0.93);
    expect(records[2][4]).toBeCloseTo(0.0141, 3);
    expect(records[2].at(-1)).toBe('run-2 run-3');
  });
});

describe('csvFileName', () => {
  it('keeps letters, digits, "-" and "_" and falls back for a name with none', () => {
    expect(csvFileName('Units & LR: take 2', 'sweep-x')).toBe('Units-LR-take-2.csv');
    expect(csvFileName('Übung', 'sweep-x')).toBe('Ubung.csv');
    expect(csvFileName('…', 'sweep-x')).toBe('sweep-x.csv');
  });
});

describe('historyRecords', () => {
  it('writes one record per recorded iteration, batch and validation side by side, in order', () => {
    const records = historyRecords({
      train: [
        { iteration: 10, loss: 2.1, accuracy: 0.25 },
        { iteration: 20, loss: 1.4, accuracy: 0.5 },
        { iteration: 30, loss: 0.9, accuracy: 0.75 },
      ],
      // 35: the pass at the end of a run whose last iteration had no batch point.
      validation: [
        { iteration: 20, loss: 1.5, accuracy: 0.45 },
        { iteration: 35, loss: 0.8, accuracy: 0.8 },
      ],
    });
    expect(records).toEqual([
      ['iteration', 'loss', 'accuracy', 'validationLoss', 'validationAccuracy'],
      [10, 2.1, 0.25, null, null],
      [20, 1.4, 0.5, 1.5, 0.45],
      [30, 0.9, 0.75, null, null],
      [35, null, null, 0.8, 0.8],
    ]);
    expect(toCsv(records).split('\r\n')[4]).toBe('35,,,0.8,0.8');
  });

  it('writes only the header for a run with no points', () => {
    expect(historyRecords({ train: [], validation: [] })).toHaveLength(1);
  });
});

describe('testRecords', () => {
  /** 10 images of each digit; digit d is read as (d + 1) mod 10 d times. */
  const confusion = Array.from({ length: 10 }, (_, label) =>
    Array.from({ length: 10 }, (_, predicted) => (predicted === label ? 10 - label : predicted === (label + 1) % 10 ? label : 0)),
  );
  const perClassAccuracy = confusion.map((row, label) => row[label] / 10);
  const test = { count: 100, accuracy: 0.55, loss: 1.2, perClassAccuracy, confusion };

  it('writes the labelled 10 × 10 matrix with each digit\u2019s image count and accuracy', () => {
    const records = testRecords(test);
    expect(records[0]).toEqual(['true digit', ...Array.from({ length: 10 }, (_, d) => `predicted ${d}`), 'images', 'accuracy']);
    expect(records).toHaveLength(12);
    expect(records[1]).toEqual([0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1]);
    expect(records[4]).toEqual([3, 0, 0, 0, 7, 3, 0, 0, 0, 0, 0, 10, 0.7]);
    expect(records[10]).toEqual([9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 10, 0.1]);
  });

  it('ends with how often each digit was predicted, the image count and the overall accuracy', () => {
    const all = testRecords(test).at(-1)!;
    expect(all[0]).toBe('all');
    expect(all.slice(1, 11)).toEqual(confusion[0].map((_, p) => confusion.reduce((sum, row) => sum + row[p], 0)));
    expect(all.slice(11)).toEqual([100, 0.55]);
  });
});
