import { describe, expect, it } from 'vitest';
import type { InsideSeriesId } from '../../../common/api';
import {
  cellName,
  cellNote,
  formatSigned,
  inspectErrorText,
  layerName,
  ORDER_EXPLANATION,
  readoutText,
  rowAnswer,
  scaleLabels,
  seriesHint,
  seriesTitle,
} from '../../../renderer/src/lib/inside-wording';

/** 28 rows of probabilities: after row t the network favours digit t mod 10 at 0.5 + t/100. */
const perRow = Array.from({ length: 28 }, (_, t) => {
  const p = new Array(10).fill((0.5 - t / 100) / 9);
  p[t % 10] = 0.5 + t / 100;
  return p;
});

describe('seriesTitle and seriesHint', () => {
  it('names every gate and state, with its letter', () => {
    const ids: InsideSeriesId[] = ['input', 'forget', 'output', 'update', 'reset', 'cell', 'hidden'];
    expect(ids.map(seriesTitle)).toEqual([
      'Input gate i',
      'Forget gate f',
      'Output gate o',
      'Update gate z',
      'Reset gate r',
      'Cell state c',
      'Hidden state h',
    ]);
    for (const id of ids) expect(seriesHint(id).length).toBeGreaterThan(20);
  });
});

describe('cellNote', () => {
  it('says an LSTM has three gates and a cell state', () => {
    expect(cellNote('lstm')).toMatch(/three gates/);
    expect(cellNote('lstm')).toMatch(/cell state c/);
  });

  it('names the GRU’s update and reset gates, and says it has no cell state', () => {
    expect(cellNote('gru')).toMatch(/update gate and a reset gate/);
    expect(cellNote('gru')).toMatch(/no separate cell state/);
  });

  it('says honestly that a Simple RNN has no gates', () => {
    expect(cellNote('rnn')).toBe('Hidden state only — a Simple RNN has no gates.');
  });

  it('spells the cell types as the form does', () => {
    expect(['lstm', 'gru', 'rnn'].map((c) => cellName(c as 'lstm'))).toEqual(['LSTM', 'GRU', 'Simple RNN']);
  });
});

describe('ORDER_EXPLANATION', () => {
  it('explains the unit order in one line', () => {
    expect(ORDER_EXPLANATION).toMatch(/hidden state changes most, earliest on the left/);
    expect(ORDER_EXPLANATION).not.toMatch(/\n/);
  });
});

describe('layerName', () => {
  it('marks the bottom and top of a stack', () => {
    expect([0, 1, 2].map((l) => layerName(l, 3))).toEqual(['Layer 1 (bottom)', 'Layer 2', 'Layer 3 (top)']);
    expect(layerName(0, 1)).toBe('Layer 1');
  });
});

describe('scaleLabels', () => {
  it('labels a gate 0–1 and a state with its own signed range', () => {
    expect(scaleLabels({ kind: 'sequential' })).toEqual(['0', '0.5', '1']);
    expect(scaleLabels({ kind: 'diverging', limit: 2.314 })).toEqual(['−2.31', '0', '+2.31']);
    expect(scaleLabels({ kind: 'diverging', limit: 0.0456 })).toEqual(['−0.046', '0', '+0.046']);
    expect(scaleLabels({ kind: 'diverging', limit: 0 })).toEqual(['0', '0', '0']);
  });

  it('never prints NaN', () => {
    expect(formatSigned(NaN)).toBe('0');
  });
});

describe('rowAnswer and readoutText', () => {
  it('reads the answer after a row', () => {
    expect(rowAnswer(perRow, 13)).toEqual({ digit: 3, probability: 0.63 });
    expect(readoutText(perRow, 13)).toBe('After row 14 of 28: 3 (63.0 %)');
  });

  it('reads the final answer when no row is highlighted', () => {
    expect(readoutText(perRow, null)).toBe('After all 28 rows: 7 (77.0 %)');
  });

  it('gives nothing for a row that is not there', () => {
    expect(rowAnswer(perRow, 40)).toBeNull();
    expect(readoutText([], 3)).toBe('');
  });
});

describe('inspectErrorText', () => {
  it('explains a run with the older tfjs layers in plain words', () => {
    const text = inspectErrorText({
      code: 'invalid-input',
      message: 'run-1 was trained with the older tfjs GRU layers, which the inside view cannot step through; train it again to look inside',
    });
    expect(text).toMatch(/^This run was trained with the older GRU or Simple RNN layers/);
    expect(text).toMatch(/Train it again/);
  });

  it('titles any other error by its code', () => {
    expect(inspectErrorText({ code: 'worker-crashed', message: 'the worker exited' })).toBe(
      'The training worker crashed: the worker exited',
    );
  });
});
