import { describe, expect, it } from 'vitest';
import { closingSegment, nextSegment, type Segment, type Stroke } from '../../../renderer/src/lib/stroke';
import { StrokeList, paintedSegments } from '../../../renderer/src/lib/stroke-list';

/** A stroke through `points` (pad coordinates), 10 px wide. */
function stroke(pointerId: number, ...points: [number, number][]): Stroke {
  return { pointerId, pointerType: 'mouse', points: points.map(([x, y]) => ({ x, y, width: 10 })) };
}

const bar = stroke(1, [70, 56], [140, 56], [210, 56]);
const diagonal = stroke(2, [210, 56], [150, 150], [110, 230]);
const dot = stroke(3, [100, 100]);

/** What the pad paints as a stroke comes in, point by point (pad.ts), and as it ends. */
function paintedLive(stroke: Stroke): Segment[] {
  const painted: Segment[] = [];
  for (let n = 1; n <= stroke.points.length; n++) {
    const segment = nextSegment(stroke.points.slice(0, n));
    if (segment) painted.push(segment);
  }
  const closing = closingSegment(stroke.points);
  if (closing) painted.push(closing);
  return painted;
}

describe('paintedSegments()', () => {
  it('replays exactly what the pad painted live, the first point’s dot included', () => {
    for (const s of [bar, diagonal, dot]) expect(paintedSegments(s.points)).toEqual(paintedLive(s));
    expect(paintedSegments(bar.points)[0]).toEqual({ kind: 'dot', at: bar.points[0], width: 10 });
  });

  it('rebuilds a stroke as a dot, a line, curves and a closing line, continuous end to end', () => {
    const segments = paintedSegments(stroke(5, [0, 0], [10, 0], [20, 10], [20, 20]).points);
    expect(segments.map((s) => s.kind)).toEqual(['dot', 'line', 'quad', 'quad', 'line']);
    for (let i = 2; i < segments.length; i++) {
      const [prev, cur] = [segments[i - 1], segments[i]];
      if (prev.kind !== 'dot' && cur.kind !== 'dot') expect(cur.from).toEqual(prev.to);
    }
  });
});

describe('StrokeList', () => {
  it('starts empty and counts the strokes added', () => {
    const list = new StrokeList();
    expect(list.isEmpty).toBe(true);
    list.add(bar);
    list.add(diagonal);
    expect(list.count).toBe(2);
    expect(list.isEmpty).toBe(false);
  });

  it('undoes the newest stroke first, then the one before, then nothing', () => {
    const list = new StrokeList();
    list.add(bar);
    list.add(diagonal);
    expect(list.undo()).toBe(diagonal);
    expect(list.count).toBe(1);
    expect(list.undo()).toBe(bar);
    expect(list.undo()).toBeNull();
    expect(list.isEmpty).toBe(true);
  });

  it('repaints exactly the strokes that are left, oldest first', () => {
    const list = new StrokeList();
    list.add(bar);
    list.add(diagonal);
    list.add(dot);
    expect(list.segments()).toEqual([...paintedSegments(bar.points), ...paintedSegments(diagonal.points), ...paintedSegments(dot.points)]);
    list.undo();
    list.undo();
    expect(list.segments()).toEqual(paintedSegments(bar.points));
  });

  it('keeps a one-point stroke (a dot) and ignores one without points', () => {
    const list = new StrokeList();
    list.add(dot);
    list.add({ pointerId: 4, pointerType: 'pen', points: [] });
    expect(list.count).toBe(1);
    expect(list.segments()).toEqual([{ kind: 'dot', at: dot.points[0], width: 10 }]);
  });

  it('clears every stroke', () => {
    const list = new StrokeList();
    list.add(bar);
    list.add(diagonal);
    list.clear();
    expect(list.isEmpty).toBe(true);
    expect(list.segments()).toEqual([]);
    expect(list.undo()).toBeNull();
  });
});
