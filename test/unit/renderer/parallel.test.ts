import { describe, expect, it } from 'vitest';
import { parallelAxes, polylines, positionOn, shadeColour } from '../../../renderer/src/lib/parallel';
import { sweepState, trial } from './sweep-fixtures';

const state = sweepState(
  [
    trial(0, 0, { cell: 'lstm', learningRate: 0.0001, units: 8 }, { bestValidation: 0.8 }),
    trial(1, 1, { cell: 'gru', learningRate: 0.001, units: 16 }, { bestValidation: 0.9, status: 'pruned' }),
    trial(2, 2, { cell: 'gru', learningRate: 0.01, units: 32 }, { bestValidation: 0.95 }),
    trial(3, 3, { cell: 'rnn', learningRate: 0.01, units: 32 }, { bestValidation: null, status: 'pending' }),
  ],
  ['cell', 'learningRate', 'units'],
);

describe('parallelAxes', () => {
  const axes = parallelAxes(state.trials, state.varied);
  const axis = (id: string) => axes.find((a) => a.id === id)!;

  it('gives one axis per varied field, then accuracy', () => {
    expect(axes.map((a) => a.id)).toEqual(['cell', 'learningRate', 'units', 'accuracy']);
  });

  it('uses a log axis for the learning rate, categories for the cell, linear for units', () => {
    expect(axes.map((a) => a.scale)).toEqual(['category', 'log', 'linear', 'linear']);
  });

  it('orders categories as the form lists them, scored trials only', () => {
    expect(axis('cell').categories).toEqual(['lstm', 'gru']);
    expect(axis('cell').ticks.map((t) => t.label)).toEqual(['LSTM', 'GRU']);
  });

  it('spaces a log axis by decades', () => {
    expect(positionOn(axis('learningRate'), 0.001)).toBeCloseTo(0.5);
    expect(positionOn(axis('units'), 16)).toBeCloseTo(8 / 24);
  });

  it('spans the accuracy axis from the worst to the best score, with percent ticks', () => {
    expect(axis('accuracy').domain).toEqual([0.8, 0.95]);
    expect(axis('accuracy').ticks[0].label).toBe('80.0 %');
    expect(axis('accuracy').ticks.at(-1)?.position).toBeCloseTo(1);
  });

  it('puts the only value of a one-value axis in the middle, and an unknown one nowhere', () => {
    const single = parallelAxes([state.trials[0]], ['units'])[0];
    expect(positionOn(single, 8)).toBe(0.5);
    expect(positionOn(axis('cell'), 'tcn')).toBeNull();
    expect(positionOn(axis('units'), null)).toBeNull();
  });
});

describe('polylines', () => {
  const axes = parallelAxes(state.trials, state.varied);
  const lines = polylines(state.trials, axes);

  it('draws scored trials only, with a position on every axis', () => {
    expect(lines.map((l) => l.trialIndex)).toEqual([0, 1, 2]);
    expect(lines[2].positions).toEqual([1, 1, 1, 1]);
    expect(lines[0].positions).toEqual([0, 0, 0, 0]);
  });

  it('shades by accuracy between the worst and the best, and marks pruned trials', () => {
    expect(lines.map((l) => l.shade)).toEqual([0, expect.closeTo(2 / 3), 1]);
    expect(lines[1].isPruned).toBe(true);
  });
});

describe('shadeColour', () => {
  it('runs along viridis and clamps outside 0–1', () => {
    expect(shadeColour(0)).toBe('rgb(68 1 84)');
    expect(shadeColour(1)).toBe('rgb(253 231 37)');
    expect(shadeColour(2)).toBe(shadeColour(1));
    expect(shadeColour(0.5)).toBe('rgb(33 145 140)');
  });
});
