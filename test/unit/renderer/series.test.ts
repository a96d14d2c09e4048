import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../common/api';
import { curvesFromHistory, LiveSeries } from '../../../renderer/src/lib/series';

const progress = (iteration: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  type: 'progress',
  runId: 'r1',
  iteration,
  totalIterations: 100,
  epoch: 0,
  loss: 2 - iteration / 100,
  accuracy: iteration / 100,
  samplesPerSec: 1000,
  elapsedMs: iteration * 10,
  etaMs: 1000,
  ...extra,
});

describe('LiveSeries', () => {
  it('appends raw, smoothed and throughput points per progress event', () => {
    const s = new LiveSeries();
    s.add(progress(10));
    s.add(progress(20));
    expect(s.curves.loss).toEqual([
      { x: 10, y: 1.9 },
      { x: 20, y: 1.8 },
    ]);
    expect(s.curves.lossSmoothed).toHaveLength(2);
    expect(s.curves.samplesPerSec).toHaveLength(2);
  });

  it('keeps validation points as their own series', () => {
    const s = new LiveSeries();
    s.add(progress(10));
    s.add(progress(20, { validation: { loss: 0.5, accuracy: 0.9 } }));
    expect(s.curves.validationAccuracy).toEqual([{ x: 20, y: 0.9 }]);
    expect(s.curves.validationLoss).toEqual([{ x: 20, y: 0.5 }]);
  });

  it('ignores a repeated or older iteration', () => {
    const s = new LiveSeries();
    s.add(progress(20));
    s.add(progress(20));
    s.add(progress(10));
    expect(s.curves.loss).toHaveLength(1);
  });

  it('notifies subscribers on every change until they unsubscribe', () => {
    const s = new LiveSeries();
    let calls = 0;
    const off = s.subscribe(() => calls++);
    s.add(progress(10));
    s.reset();
    off();
    s.add(progress(10));
    expect(calls).toBe(2);
    expect(s.version).toBe(3);
  });

  it('replaces its curves with new arrays on reset, so charts can tell', () => {
    const s = new LiveSeries();
    s.add(progress(10));
    const before = s.curves.loss;
    s.reset();
    expect(s.curves.loss).not.toBe(before);
    expect(s.curves.loss).toHaveLength(0);
  });
});

describe('curvesFromHistory', () => {
  it('builds every curve from a stored history', () => {
    const curves = curvesFromHistory({
      train: [
        { iteration: 10, loss: 2, accuracy: 0.2 },
        { iteration: 20, loss: 1, accuracy: 0.6 },
      ],
      validation: [{ iteration: 20, loss: 0.9, accuracy: 0.7 }],
    });
    expect(curves.loss.map((p) => p.x)).toEqual([10, 20]);
    expect(curves.accuracySmoothed[0].y).toBeCloseTo(0.2);
    expect(curves.validationAccuracy).toEqual([{ x: 20, y: 0.7 }]);
  });
});
