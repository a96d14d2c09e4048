/**
 * Pointer-input helpers for the drawing pad, kept free of the DOM so they can be tested in
 * Node: coordinate conversion, coalesced samples, honest pressure, and the smoothed segment
 * to draw for each new point (quadratic curves through the midpoints). Repainting a whole stroke
 * is stroke-list.ts's.
 */

/** A point in the pad's own coordinates (CSS pixels from its top-left corner). */
export interface Point {
  x: number;
  y: number;
}

/** A point of a stroke with the line width to draw at it, in CSS pixels. */
export interface StrokePoint extends Point {
  width: number;
}

/** One stroke: from pointer-down to pointer-up of one pointer. */
export interface Stroke {
  pointerId: number;
  pointerType: string;
  points: StrokePoint[];
}

/** What we read from a PointerEvent (structural, so tests can pass plain objects). */
export interface PointerSample {
  clientX: number;
  clientY: number;
  pressure: number;
  pointerType: string;
}

/** A PointerEvent-like object that may offer the samples the browser merged into it. */
export interface CoalescingSample extends PointerSample {
  getCoalescedEvents?: () => PointerSample[];
}

/** The part of a DOMRect the conversion needs. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Every sample behind one pointermove. Chromium delivers moves once per frame and merges the
 * rest; drawing only the merged event turns fast curves into polygons.
 */
export function coalescedSamples(event: CoalescingSample): PointerSample[] {
  const samples = event.getCoalescedEvents?.() ?? [];
  return samples.length > 0 ? samples : [event];
}

/**
 * Client (viewport) coordinates → pad coordinates of a `size`-wide square pad, allowing for
 * the element being displayed larger or smaller than its logical size.
 */
export function toPadPoint(sample: Pick<PointerSample, 'clientX' | 'clientY'>, rect: Rect, size: number): Point {
  const sx = rect.width > 0 ? size / rect.width : 1;
  const sy = rect.height > 0 ? size / rect.height : 1;
  return { x: (sample.clientX - rect.left) * sx, y: (sample.clientY - rect.top) * sy };
}

/**
 * True when the device really measured pressure. Browsers report exactly 0.5 for pressed
 * buttons of devices without a sensor (mice, most touch screens), and 0 when nothing is pressed.
 */
export function hasRealPressure(sample: Pick<PointerSample, 'pressure' | 'pointerType'>): boolean {
  return sample.pointerType !== 'mouse' && sample.pressure > 0 && sample.pressure !== 0.5;
}

/** Line width for a sample: the chosen width, scaled 0.4×–1.6× by a pen's real pressure. */
export function widthFor(baseWidth: number, sample: Pick<PointerSample, 'pressure' | 'pointerType'>): number {
  if (!hasRealPressure(sample)) return baseWidth;
  const pressure = Math.min(1, Math.max(0, sample.pressure));
  return baseWidth * (0.4 + 1.2 * pressure);
}

/**
 * Appends `point` unless it repeats the last one (closer than `minDistance`): repeats add
 * nothing visible and would give zero-length segments. Returns whether it was added.
 */
export function addPoint(points: StrokePoint[], point: StrokePoint, minDistance = 0.5): boolean {
  const last = points.at(-1);
  if (last && Math.hypot(point.x - last.x, point.y - last.y) < minDistance) return false;
  points.push(point);
  return true;
}

/** The halfway point of a and b. */
export function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/** One piece of a stroke to paint: a dot, a straight line, or a quadratic curve. */
export type Segment =
  | { kind: 'dot'; at: Point; width: number }
  | { kind: 'line'; from: Point; to: Point; width: number }
  | { kind: 'quad'; from: Point; control: Point; to: Point; width: number };

/**
 * The segment that the newest point of a stroke adds. The curve runs midpoint to midpoint with
 * the sample as control point, so consecutive segments join smoothly; the last half-segment is
 * drawn by `closingSegment` on pointer-up.
 */
export function nextSegment(points: readonly StrokePoint[]): Segment | null {
  const n = points.length;
  if (n === 0) return null;
  const last = points[n - 1];
  if (n === 1) return { kind: 'dot', at: last, width: last.width };
  const prev = points[n - 2];
  const width = (prev.width + last.width) / 2;
  if (n === 2) return { kind: 'line', from: prev, to: midpoint(prev, last), width };
  return { kind: 'quad', from: midpoint(points[n - 3], prev), control: prev, to: midpoint(prev, last), width };
}

/** The straight piece from the last midpoint to the final point, drawn when a stroke ends. */
export function closingSegment(points: readonly StrokePoint[]): Segment | null {
  const n = points.length;
  if (n < 2) return null;
  const last = points[n - 1];
  return { kind: 'line', from: midpoint(points[n - 2], last), to: last, width: last.width };
}
