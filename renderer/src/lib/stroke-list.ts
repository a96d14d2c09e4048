/**
 * The drawing pad's finished strokes, oldest first, and what to paint to show them: the pad
 * repaints from this list after an undo and after a change of display resolution, segment for
 * segment as it painted them live. Free of the DOM, so it is tested in Node.
 */
import { closingSegment, nextSegment, type Segment, type Stroke, type StrokePoint } from './stroke';

/** The strokes on the pad; undo takes the newest away. */
export class StrokeList {
  readonly #strokes: Stroke[] = [];

  /** How many strokes are on the pad. */
  get count(): number {
    return this.#strokes.length;
  }

  get isEmpty(): boolean {
    return this.#strokes.length === 0;
  }

  /** Adds a finished stroke (one with at least one point; an empty one would paint nothing). */
  add(stroke: Stroke): void {
    if (stroke.points.length > 0) this.#strokes.push(stroke);
  }

  /** Takes the newest stroke away and returns it; null when there is none. */
  undo(): Stroke | null {
    return this.#strokes.pop() ?? null;
  }

  clear(): void {
    this.#strokes.length = 0;
  }

  /** Each stroke's points, oldest first, as copies: what "Save as my digit" keeps beside the image. */
  points(): StrokePoint[][] {
    return this.#strokes.map((stroke) => stroke.points.map((p) => ({ ...p })));
  }

  /** Every segment of every stroke, oldest first: what a repaint of the whole pad draws. */
  segments(): Segment[] {
    return this.#strokes.flatMap((stroke) => paintedSegments(stroke.points));
  }
}

/**
 * The segments the pad painted while `points` were drawn, in order: the dot at the first point,
 * one piece per point after it, the closing line. Painting these again puts back the very same
 * pixels, so an undo leaves exactly the ink, and the prediction, of the strokes before.
 */
export function paintedSegments(points: readonly StrokePoint[]): Segment[] {
  const segments: Segment[] = [];
  for (let i = 1; i <= points.length; i++) {
    const segment = nextSegment(points.slice(Math.max(0, i - 3), i));
    if (segment) segments.push(segment);
  }
  const closing = closingSegment(points);
  if (closing) segments.push(closing);
  return segments;
}
