import { describe, expect, it } from 'vitest';
import { csvCell, csvFileName, resultRecords, toCsv } from '../../../renderer/src/lib/csv';
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
