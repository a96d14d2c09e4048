import { describe, expect, it } from 'vitest';
import { configCurves, scatterData } from '../../../renderer/src/lib/sweep-curves';
import { sweepState, trial, unitsSweep } from './sweep-fixtures';

describe('scatterData', () => {
  it('plots a numeric field against best validation accuracy, scored trials only', () => {
    const state = unitsSweep();
    state.trials[0] = { ...state.trials[0], bestValidation: null };
    const data = scatterData(state, 'units');
    expect(data.axis).toEqual({ type: 'linear' });
    expect(data.points.map((p) => [p.x, p.y])).toEqual([
      [8, 0.87],
      [16, 0.94],
      [16, 0.92],
    ]);
  });

  it('uses a log axis for the learning rate', () => {
    const state = sweepState([trial(0, 0, { learningRate: 0.001 }), trial(1, 1, { learningRate: 0.01 })], ['learningRate']);
    expect(scatterData(state, 'learningRate').axis).toEqual({ type: 'logarithmic' });
  });

  it('puts choices at 0, 1, … with their seeds spread around them', () => {
    const state = sweepState(
      [trial(0, 0, { cell: 'gru', seed: 1 }), trial(1, 0, { cell: 'gru', seed: 2 }), trial(2, 1, { cell: 'lstm', seed: 1 })],
      ['cell'],
    );
    const data = scatterData(state, 'cell');
    expect(data.axis).toEqual({ type: 'category', labels: ['LSTM', 'GRU'] });
    expect(data.points.map((p) => p.x)).toEqual([0.85, 1.15, 0]);
  });
});

describe('configCurves', () => {
  it('gives each configuration the mean over its seeds with a ± std band', () => {
    const curves = configCurves(unitsSweep());
    expect(curves.map((c) => c.label)).toEqual(['Units 8', 'Units 16']);
    const sixteen = curves[1];
    expect(sixteen.seedCount).toBe(2);
    expect(sixteen.mean.map((p) => p.x)).toEqual([20, 40]);
    expect(sixteen.mean[1].y).toBeCloseTo(0.93);
    expect(sixteen.upper[1].y - sixteen.lower[1].y).toBeCloseTo(2 * Math.SQRT2 * 0.01);
  });

  it('averages each iteration over the seeds that reached it (a pruned seed stops early)', () => {
    const state = sweepState([
      trial(0, 0, { units: 8 }, { validation: [{ iteration: 20, accuracy: 0.5 }] }),
      trial(
        1,
        0,
        { units: 8 },
        {
          validation: [
            { iteration: 20, accuracy: 0.7 },
            { iteration: 40, accuracy: 0.8 },
          ],
        },
      ),
    ]);
    const [curve] = configCurves(state);
    expect(curve.mean).toEqual([
      { x: 20, y: expect.closeTo(0.6) },
      { x: 40, y: 0.8 },
    ]);
    expect(curve.lower[1]).toEqual(curve.upper[1]); // one seed there: no band
  });

  it('leaves out a configuration with no validation point yet', () => {
    const state = sweepState([trial(0, 0, { units: 8 }, { validation: [] }), trial(1, 1, { units: 16 })]);
    expect(configCurves(state).map((c) => c.configIndex)).toEqual([1]);
  });
});
