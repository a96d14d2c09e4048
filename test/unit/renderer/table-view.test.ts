import { describe, expect, it } from 'vitest';
import { resultColumns, trialRows } from '../../../renderer/src/lib/sweep-rows';
import { filterRows, nextSort, sortRows } from '../../../renderer/src/lib/table-view';
import { sweepState, trial, unitsSweep } from './sweep-fixtures';

const rows = () => trialRows(unitsSweep());
const columns = resultColumns(['units'], false);
const column = (id: string) => columns.find((c) => c.id === id)!;

describe('sortRows', () => {
  it('sorts numbers as numbers, both ways', () => {
    const state = sweepState([trial(0, 0, { units: 9 }), trial(1, 1, { units: 10 }), trial(2, 2, { units: 100 })]);
    const ascending = sortRows(trialRows(state), { columnId: 'units', direction: 'ascending' });
    expect(ascending.map((r) => r.values.units)).toEqual([9, 10, 100]);
    expect(sortRows(trialRows(state), { columnId: 'units', direction: 'descending' }).map((r) => r.values.units)).toEqual([100, 10, 9]);
  });

  it('puts empty cells last whichever the direction', () => {
    const state = sweepState([trial(0, 0, { units: 8 }, { testAccuracy: null }), trial(1, 1, { units: 16 }, { testAccuracy: 0.5 })]);
    for (const direction of ['ascending', 'descending'] as const) {
      expect(sortRows(trialRows(state), { columnId: 'testAccuracy', direction }).map((r) => r.values.trial)).toEqual([2, 1]);
    }
  });

  it('keeps the plan order among ties', () => {
    expect(sortRows(rows(), { columnId: 'units', direction: 'descending' }).map((r) => r.values.trial)).toEqual([3, 4, 1, 2]);
  });

  it('sorts text naturally, 2 before 10', () => {
    const state = sweepState([trial(0, 0, { units: 8 }), trial(1, 1, { units: 16 })]);
    const [a, b] = trialRows(state);
    const sorted = sortRows(
      [
        { ...a, values: { ...a.values, status: '10 done' } },
        { ...b, values: { ...b.values, status: '2 done' } },
      ],
      {
        columnId: 'status',
        direction: 'ascending',
      },
    );
    expect(sorted.map((r) => r.values.status)).toEqual(['2 done', '10 done']);
  });

  it('puts the best score first when descending', () => {
    const sorted = sortRows(rows(), { columnId: 'bestValidation', direction: 'descending' });
    expect(sorted.map((r) => r.values.bestValidation)).toEqual([0.94, 0.92, 0.87, 0.85]);
  });
});

describe('nextSort', () => {
  it('flips the direction on the same column', () => {
    expect(nextSort({ columnId: 'units', direction: 'ascending' }, column('units'))).toEqual({
      columnId: 'units',
      direction: 'descending',
    });
  });

  it('starts a score column with the best first and a hyperparameter upwards', () => {
    expect(nextSort({ columnId: 'trial', direction: 'ascending' }, column('bestValidation')).direction).toBe('descending');
    expect(nextSort({ columnId: 'trial', direction: 'descending' }, column('units')).direction).toBe('ascending');
  });
});

describe('filterRows', () => {
  it('keeps everything for an empty query', () => {
    expect(filterRows(rows(), columns, '  ')).toHaveLength(4);
  });

  it('matches every word against the cells as shown', () => {
    expect(filterRows(rows(), columns, '94.0').map((r) => r.values.trial)).toEqual([3]);
    expect(filterRows(rows(), columns, 'DONE 16')).toHaveLength(2);
    expect(filterRows(rows(), columns, 'gru')).toHaveLength(0);
  });

  it('scopes a word written column:text to that column, by id or label', () => {
    // "16" also appears nowhere else here, but "1" would: seed 1 and trial 1.
    expect(filterRows(rows(), columns, 'seed:2').map((r) => r.values.trial)).toEqual([2, 4]);
    expect(filterRows(rows(), columns, 'units:8')).toHaveLength(2);
    expect(filterRows(rows(), columns, 'bestval.:94')).toHaveLength(1);
  });

  it('treats an unknown column name as plain text', () => {
    expect(filterRows(rows(), columns, 'colour:red')).toHaveLength(0);
  });
});
