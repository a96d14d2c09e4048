/**
 * The drawing pad's canvas plumbing: pointer capture, one state object per stroke, coalesced
 * samples, pen pressure, devicePixelRatio-aware backing store. Strokes are kept in pad
 * coordinates so they can be repainted sharply when the DPR changes (window moved to another
 * screen) and after an undo. The pure parts live in stroke.ts and stroke-list.ts.
 */
import {
  addPoint,
  closingSegment,
  coalescedSamples,
  nextSegment,
  toPadPoint,
  widthFor,
  type PointerSample,
  type Segment,
  type Stroke,
  type StrokePoint,
} from './stroke';
import { StrokeList } from './stroke-list';

/** How the pad is set up. */
export interface PadOptions {
  /** Side of the square pad in CSS pixels (its coordinate space). */
  size: number;
  /** The stroke width to use for the next stroke, in CSS pixels. */
  getWidth: () => number;
  /** Called at most once per frame after the drawing changed, with the ink (null when empty). */
  onchange: (image: ImageData | null) => void;
  /** Called with the number of finished strokes whenever it changes. */
  onstrokes?: (count: number) => void;
}

/** A live pad. */
export interface Pad {
  clear(): void;
  /** Takes the last stroke away (one still being drawn first) and repaints; false when the pad was empty. */
  undo(): boolean;
  /** The finished strokes in pad coordinates, and the pad's side (CSS pixels) they were drawn on. */
  strokes(): { padSize: number; strokes: StrokePoint[][] };
  destroy(): void;
}

/** Wires `canvas` up as a drawing pad; call `destroy()` to remove every listener. */
export function createPad(canvas: HTMLCanvasElement, options: PadOptions): Pad {
  // Read back every frame while drawing: tell the browser to keep the pixels on the CPU side.
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('drawing pad: this browser gave no 2D canvas context');
  const ctx = context;
  const strokes = new StrokeList();
  const active = new Map<number, () => void>();
  let frame = 0;
  let dprQuery: MediaQueryList | null = null;

  /** The theme's ink colour; read per stroke, not per segment, as it forces a style lookup. */
  function readInk(): void {
    ctx.strokeStyle = ctx.fillStyle = getComputedStyle(canvas).getPropertyValue('--pad-ink').trim() || '#111';
  }

  function paint(segment: Segment | null): void {
    if (!segment) return;
    ctx.lineWidth = segment.width;
    ctx.beginPath();
    if (segment.kind === 'dot') {
      ctx.arc(segment.at.x, segment.at.y, segment.width / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    ctx.moveTo(segment.from.x, segment.from.y);
    if (segment.kind === 'quad') ctx.quadraticCurveTo(segment.control.x, segment.control.y, segment.to.x, segment.to.y);
    else ctx.lineTo(segment.to.x, segment.to.y);
    ctx.stroke();
  }

  function changed(): void {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const isEmpty = strokes.isEmpty && active.size === 0;
      options.onchange(isEmpty ? null : ctx.getImageData(0, 0, canvas.width, canvas.height));
    });
  }

  function resize(): void {
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(options.size * dpr);
    canvas.height = Math.round(options.size * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    readInk();
    strokes.segments().forEach(paint);
    dprQuery?.removeEventListener('change', onDprChange);
    dprQuery = matchMedia(`(resolution: ${dpr}dppx)`);
    dprQuery.addEventListener('change', onDprChange);
  }

  function onDprChange(): void {
    resize();
    changed();
  }

  function onPointerDown(event: PointerEvent): void {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    canvas.focus({ preventScroll: true });
    canvas.setPointerCapture(event.pointerId);
    readInk();
    const rect = canvas.getBoundingClientRect();
    const stroke: Stroke = { pointerId: event.pointerId, pointerType: event.pointerType, points: [] };
    const baseWidth = options.getWidth();
    const add = (sample: PointerSample): void => {
      const at = toPadPoint(sample, rect, options.size);
      if (addPoint(stroke.points, { ...at, width: widthFor(baseWidth, sample) })) paint(nextSegment(stroke.points));
    };
    const onMove = (e: PointerEvent): void => {
      if (e.pointerId !== stroke.pointerId) return;
      for (const sample of coalescedSamples(e)) add(sample);
      changed();
    };
    // Up, cancel and lost capture all end the stroke: a pointer-up may never come (e.g. the
    // window lost focus mid-stroke), and a stroke left open would swallow the next one.
    const finish = (e: PointerEvent): void => {
      if (e.pointerId !== stroke.pointerId) return;
      end();
      paint(closingSegment(stroke.points));
      strokes.add(stroke);
      options.onstrokes?.(strokes.count);
      changed();
    };
    const end = (): void => {
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', finish);
      canvas.removeEventListener('pointercancel', finish);
      canvas.removeEventListener('lostpointercapture', finish);
      active.delete(stroke.pointerId);
    };
    active.get(event.pointerId)?.();
    active.set(event.pointerId, end);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointercancel', finish);
    canvas.addEventListener('lostpointercapture', finish);
    add(event);
    changed();
  }

  canvas.addEventListener('pointerdown', onPointerDown);
  resize();

  return {
    clear() {
      for (const end of [...active.values()]) end();
      strokes.clear();
      ctx.clearRect(0, 0, options.size, options.size);
      options.onstrokes?.(0);
      changed();
    },
    undo() {
      // A stroke still being drawn is the newest: ending it without keeping it takes it away.
      if (active.size > 0) for (const end of [...active.values()]) end();
      else if (!strokes.undo()) return false;
      ctx.clearRect(0, 0, options.size, options.size);
      readInk();
      strokes.segments().forEach(paint);
      options.onstrokes?.(strokes.count);
      changed();
      return true;
    },
    strokes() {
      return { padSize: options.size, strokes: strokes.points() };
    },
    destroy() {
      for (const end of [...active.values()]) end();
      canvas.removeEventListener('pointerdown', onPointerDown);
      dprQuery?.removeEventListener('change', onDprChange);
      cancelAnimationFrame(frame);
    },
  };
}
