import { describe, expect, it } from 'vitest';
import {
  addPoint,
  closingSegment,
  coalescedSamples,
  hasRealPressure,
  midpoint,
  nextSegment,
  toPadPoint,
  widthFor,
  type CoalescingSample,
  type StrokePoint,
} from '../../../renderer/src/lib/stroke';

const sample = (clientX: number, clientY: number, pressure = 0.5, pointerType = 'mouse') => ({ clientX, clientY, pressure, pointerType });
const point = (x: number, y: number, width = 10): StrokePoint => ({ x, y, width });

describe('coalescedSamples', () => {
  it('returns the samples the browser merged into the event', () => {
    const merged = [sample(1, 1), sample(2, 2), sample(3, 3)];
    const event: CoalescingSample = { ...sample(3, 3), getCoalescedEvents: () => merged };
    expect(coalescedSamples(event)).toBe(merged);
  });

  it('falls back to the event itself when the browser offers none', () => {
    const event = sample(5, 6);
    expect(coalescedSamples(event)).toEqual([event]);
    expect(coalescedSamples({ ...event, getCoalescedEvents: () => [] })).toHaveLength(1);
  });
});

describe('toPadPoint', () => {
  it('converts client coordinates to pad coordinates', () => {
    expect(toPadPoint(sample(110, 60), { left: 100, top: 50, width: 280, height: 280 }, 280)).toEqual({ x: 10, y: 10 });
  });

  it('scales when the pad is displayed at a different size', () => {
    expect(toPadPoint(sample(140, 70), { left: 0, top: 0, width: 560, height: 560 }, 280)).toEqual({ x: 70, y: 35 });
  });

  it('does not divide by zero for a collapsed element', () => {
    expect(toPadPoint(sample(5, 5), { left: 0, top: 0, width: 0, height: 0 }, 280)).toEqual({ x: 5, y: 5 });
  });
});

describe('widthFor', () => {
  it('uses the fixed width for a mouse', () => {
    expect(widthFor(20, { pressure: 0.5, pointerType: 'mouse' })).toBe(20);
    expect(widthFor(20, { pressure: 0.9, pointerType: 'mouse' })).toBe(20);
  });

  it('treats exactly 0.5 as "no pressure sensor" for pens and touch', () => {
    expect(hasRealPressure({ pressure: 0.5, pointerType: 'pen' })).toBe(false);
    expect(widthFor(20, { pressure: 0.5, pointerType: 'touch' })).toBe(20);
  });

  it('treats 0 as no pressure reading', () => {
    expect(widthFor(20, { pressure: 0, pointerType: 'pen' })).toBe(20);
  });

  it('scales a pen stroke with real pressure, thinner when light and thicker when firm', () => {
    expect(widthFor(20, { pressure: 0.1, pointerType: 'pen' })).toBeCloseTo(20 * 0.52);
    expect(widthFor(20, { pressure: 1, pointerType: 'pen' })).toBeCloseTo(32);
  });
});

describe('addPoint', () => {
  it('appends a new point', () => {
    const points = [point(0, 0)];
    expect(addPoint(points, point(3, 4))).toBe(true);
    expect(points).toHaveLength(2);
  });

  it('drops a repeat of the last point', () => {
    const points = [point(10, 10)];
    expect(addPoint(points, point(10.1, 10.1))).toBe(false);
    expect(points).toHaveLength(1);
  });
});

describe('nextSegment', () => {
  it('draws a dot for the first point', () => {
    expect(nextSegment([point(5, 5, 8)])).toEqual({ kind: 'dot', at: point(5, 5, 8), width: 8 });
  });

  it('draws a line to the first midpoint for the second point', () => {
    expect(nextSegment([point(0, 0), point(10, 0)])).toMatchObject({ kind: 'line', from: { x: 0, y: 0 }, to: { x: 5, y: 0 } });
  });

  it('draws a curve between midpoints with the middle sample as control', () => {
    const segment = nextSegment([point(0, 0), point(10, 0), point(10, 10)]);
    expect(segment).toMatchObject({ kind: 'quad', from: { x: 5, y: 0 }, control: { x: 10, y: 0 }, to: { x: 10, y: 5 } });
  });

  it('averages the widths of the two latest points', () => {
    expect(nextSegment([point(0, 0, 4), point(10, 0, 8)])?.width).toBe(6);
  });

  it('returns null for no points', () => {
    expect(nextSegment([])).toBeNull();
  });
});

describe('closingSegment', () => {
  it('finishes the stroke from the last midpoint to the last point', () => {
    expect(closingSegment([point(0, 0), point(10, 0)])).toMatchObject({ kind: 'line', from: { x: 5, y: 0 }, to: { x: 10, y: 0 } });
  });

  it('has nothing to add to a single dot', () => {
    expect(closingSegment([point(1, 1)])).toBeNull();
  });
});

describe('midpoint', () => {
  it('is halfway', () => {
    expect(midpoint({ x: 0, y: 2 }, { x: 4, y: 6 })).toEqual({ x: 2, y: 4 });
  });
});
