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

describe('LiveSeries.setSmoothing', () => {
  it('redoes the smoothed curves from the raw ones, in new arrays, and goes on with the new weight', () => {
    const s = new LiveSeries(0.9);
    for (const iteration of [10, 20, 30]) s.add(progress(iteration, { loss: iteration === 20 ? 3 : 1 }));
    const before = s.curves.lossSmoothed;
    let calls = 0;
    s.subscribe(() => calls++);
    s.setSmoothing(0);
    expect(s.curves.lossSmoothed).not.toBe(before);
    expect(s.curves.lossSmoothed.map((p) => p.y)).toEqual([1, 3, 1]); // 0: the raw curve itself
    expect(s.curves.accuracySmoothed.map((p) => p.y)).toEqual(s.curves.accuracy.map((p) => p.y));
    expect(calls).toBe(1);
    s.add(progress(40, { loss: 2 }));
    expect(s.curves.lossSmoothed.at(-1)).toEqual({ x: 40, y: 2 });
  });

  it('matches a series built with that weight from the start', () => {
    const events = [10, 20, 30, 40].map((iteration) => progress(iteration, { loss: Math.sin(iteration) + 2 }));
    const changed = new LiveSeries(0.2);
    const direct = new LiveSeries(0.95);
    for (const event of events.slice(0, 2)) [changed, direct].forEach((s) => s.add(event));
    changed.setSmoothing(0.95);
    for (const event of events.slice(2)) [changed, direct].forEach((s) => s.add(event));
    expect(changed.curves.lossSmoothed).toEqual(direct.curves.lossSmoothed);
  });

  it('changes nothing for the weight it has, and refuses one out of range', () => {
    const s = new LiveSeries(0.5);
    s.add(progress(10));
    const version = s.version;
    s.setSmoothing(0.5);
    expect(s.version).toBe(version);
    expect(() => s.setSmoothing(1)).toThrow(RangeError);
    expect(s.version).toBe(version);
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
