/**
 * Training-time augmentation: each training image is turned, slanted, stretched, thickened or
 * thinned and warped by a random amount, then fitted back into the 20×20 box and centred by
 * mass exactly as the drawing pad's preprocessing does (preprocess.ts `fitInk`), so that
 * training sees what the pad produces. A plain shift or a uniform scale is not offered: the
 * refit undoes both, on the pad as here.
 *
 * Pure and seeded: image `index` of iteration `iteration` gets the same transform for the same
 * run seed, on either training thread and after a resume. Validation and test images are
 * never augmented (the engine applies this to training batches only).
 */
import type { Hyperparams } from './hyperparams';
import { IMAGE_SIDE, PIXEL_COUNT } from './mnist';
import { fitInk } from './preprocess';
import { mulberry32 } from './random';

/** The augmentation fields of the hyperparameters; all 0 is none at all. */
export type Augmentation = Pick<Hyperparams, 'rotation' | 'shear' | 'aspect' | 'thickness' | 'elastic'>;

export const AUGMENTATION_FIELDS = ['rotation', 'shear', 'aspect', 'thickness', 'elastic'] as const;

/** Whether any augmentation is on. */
export function isAugmenting(a: Augmentation): boolean {
  return AUGMENTATION_FIELDS.some((field) => a[field] > 0);
}

/** The warp's canvas: 32 pixels a side, so a turned or slanted 20×20 digit keeps its corners. */
const CANVAS = 32;
/** Control points per side of the elastic field: 8 pixels apart, about Simard's σ = 4 smoothness. */
const GRID = 5;

/** One image's transform, as drawn (or given, in tests). */
export interface Transform {
  /** Turn, degrees (positive: clockwise on screen, where y points down). */
  degrees: number;
  /** Horizontal slant, degrees. */
  slantDegrees: number;
  /** Width factor; the height is divided by it. */
  stretch: number;
  /** Stroke change in pixels: > 0 thicker, < 0 thinner. */
  thickness: number;
  /** GRID × GRID displacements in pixels, x then y; null without elastic distortion. */
  field: Float32Array | null;
}

const uniform = (random: () => number, limit: number): number => (random() * 2 - 1) * limit;

/** Draws one image's transform: each amount uniform in ± its limit. */
export function drawTransform(a: Augmentation, random: () => number): Transform {
  const transform: Transform = {
    degrees: uniform(random, a.rotation),
    slantDegrees: uniform(random, a.shear),
    stretch: 1 + uniform(random, a.aspect),
    thickness: uniform(random, a.thickness),
    field: null,
  };
  if (a.elastic > 0) {
    transform.field = new Float32Array(2 * GRID * GRID);
    for (let i = 0; i < transform.field.length; i++) transform.field[i] = uniform(random, a.elastic);
  }
  return transform;
}

type Matrix = [number, number, number, number];

/** M = rotation · shear · diag(stretch, 1/stretch), row-major [a, b; c, d]. */
function linearMap(t: Transform): Matrix {
  const theta = (t.degrees * Math.PI) / 180;
  const slant = Math.tan((t.slantDegrees * Math.PI) / 180);
  const [cos, sin, s] = [Math.cos(theta), Math.sin(theta), t.stretch];
  return [cos * s, (cos * slant - sin) / s, sin * s, (sin * slant + cos) / s];
}

function inverse([a, b, c, d]: Matrix): Matrix {
  const det = a * d - b * c;
  return [d / det, -b / det, -c / det, a / det];
}

/**
 * For each canvas row or column: the elastic grid's cell on that axis and the position within
 * it (the field is bilinear between control points). The same for every image.
 */
export const GRID_CELL = new Int32Array(CANVAS);
export const GRID_FRACTION = new Float32Array(CANVAS);
for (let u = 0; u < CANVAS; u++) {
  const g = (u * (GRID - 1)) / (CANVAS - 1);
  GRID_CELL[u] = Math.min(GRID - 2, Math.floor(g));
  GRID_FRACTION[u] = g - GRID_CELL[u];
}

/** Row v of the field, blended between its grid rows: GRID values of x shifts, then GRID of y shifts, into `out`. */
function fieldRow(field: Float32Array, v: number, out: Float32Array): void {
  const fy = GRID_FRACTION[v];
  for (let axis = 0; axis < 2; axis++) {
    const k = axis * GRID * GRID + GRID_CELL[v] * GRID;
    for (let i = 0; i < GRID; i++) out[axis * GRID + i] = field[k + i] + (field[k + GRID + i] - field[k + i]) * fy;
  }
}

/** The source with a border of one blank pixel, so that every sample reads four real values. */
const PADDED = IMAGE_SIDE + 2;

/** Copies the 28×28 source into the middle of `padded` (PADDED × PADDED, its border kept at 0). */
function pad(source: Float32Array, padded: Float32Array): void {
  for (let y = 0; y < IMAGE_SIDE; y++) padded.set(source.subarray(y * IMAGE_SIDE, (y + 1) * IMAGE_SIDE), (y + 1) * PADDED + 1);
}

/**
 * Bilinear sample of the padded source at the 28×28 image's pixel-centre coordinates (x, y); 0
 * outside. The blank border makes the image's edge an ordinary interior case, with no branch.
 */
function sample(padded: Float32Array, x: number, y: number): number {
  // Off the image by more than a pixel: no ink (much of the canvas around a digit).
  if (x <= -0.5 || y <= -0.5 || x >= IMAGE_SIDE + 0.5 || y >= IMAGE_SIDE + 0.5) return 0;
  // In padded coordinates fx, fy > 0, so truncation is floor(), which V8 makes one instruction.
  const fx = x + 0.5;
  const fy = y + 0.5;
  const x0 = fx | 0;
  const y0 = fy | 0;
  const tx = fx - x0;
  const ty = fy - y0;
  const k = y0 * PADDED + x0;
  const top = padded[k] + (padded[k + 1] - padded[k]) * tx;
  const bottom = padded[k + PADDED] + (padded[k + PADDED + 1] - padded[k + PADDED]) * tx;
  return top + (bottom - top) * ty;
}

/** The canvas window [u0, u1) × [v0, v1) that can receive ink. */
export interface CanvasWindow {
  u0: number;
  u1: number;
  v0: number;
  v1: number;
}

/** An ink box: [x0, y0, x1, y1], inclusive. */
export type InkBox = [number, number, number, number];

/**
 * The source's ink box: [x0, y0, x1, y1] inclusive, or null without ink. Scalars, not an array
 * per ink pixel: this runs for every training image of an augmented run.
 */
function inkBox(source: Float32Array): InkBox | null {
  let [x0, y0, x1, y1] = [IMAGE_SIDE, IMAGE_SIDE, -1, -1];
  for (let y = 0; y < IMAGE_SIDE; y++) {
    const row = y * IMAGE_SIDE;
    for (let x = 0; x < IMAGE_SIDE; x++) {
      if (source[row + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : [x0, y0, x1, y1];
}

/** Canvas columns and rows that can receive ink: the source's ink box mapped forward, widened by the field's reach. */
function inkWindow([x0, y0, x1, y1]: InkBox, m: Matrix, shift: number): CanvasWindow {
  let [uMin, uMax, vMin, vMax] = [Infinity, -Infinity, Infinity, -Infinity];
  // Corners of the ink's pixels, one pixel out for the bilinear sample's reach, relative to the centre.
  for (let corner = 0; corner < 4; corner++) {
    const px = (corner & 1 ? x1 + 2 : x0 - 1) - IMAGE_SIDE / 2;
    const py = (corner & 2 ? y1 + 2 : y0 - 1) - IMAGE_SIDE / 2;
    const u = m[0] * px + m[1] * py + CANVAS / 2;
    const v = m[2] * px + m[3] * py + CANVAS / 2;
    [uMin, uMax, vMin, vMax] = [Math.min(uMin, u), Math.max(uMax, u), Math.min(vMin, v), Math.max(vMax, v)];
  }
  // A source shift of up to `shift` in x and y moves the canvas point by up to this much per axis.
  const [reachU, reachV] = [(Math.abs(m[0]) + Math.abs(m[1])) * shift, (Math.abs(m[2]) + Math.abs(m[3])) * shift];
  const clampTo = (v: number) => Math.max(0, Math.min(CANVAS, v));
  return {
    u0: clampTo(Math.floor(uMin - reachU)),
    u1: clampTo(Math.ceil(uMax + reachU)),
    v0: clampTo(Math.floor(vMin - reachV)),
    v1: clampTo(Math.ceil(vMax + reachV)),
  };
}

/**
 * The source warped onto the canvas by the transform's linear map and elastic field; only the
 * window that can receive ink is sampled, the rest is cleared. Returns that window (null: no ink).
 */
function warp(source: Float32Array, t: Transform, work: AugmentWorkspace): CanvasWindow | null {
  const m = linearMap(t);
  const { field } = t;
  const { kernels } = work;
  work.canvas.fill(0);
  const box = kernels ? kernels.padAndFindInk(source) : inkBox(source);
  if (!box) return null;
  const window = inkWindow(box, m, largest(field));
  const [a, b, c, d] = inverse(m);
  if (kernels) {
    if (field) work.field.set(field);
    if (field) kernels.warpElastic(a, b, c, d, window.u0, window.u1, window.v0, window.v1);
    else kernels.warpLinear(a, b, c, d, window.u0, window.u1, window.v0, window.v1);
    return window;
  }
  pad(source, work.padded);
  if (field) warpElastic(work.padded, [a, b, c, d], field, window, work);
  else warpLinear(work.padded, [a, b, c, d], window, work.canvas);
  return window;
}

/** How far the elastic field moves a sampling point at most, in x and in y: its largest value (0 without one). */
function largest(field: Float32Array | null): number {
  let reach = 0;
  if (field) for (let i = 0; i < field.length; i++) reach = Math.max(reach, Math.abs(field[i]));
  return reach;
}

const HALF = CANVAS / 2;
const CENTRE = IMAGE_SIDE / 2;

function warpLinear(source: Float32Array, [a, b, c, d]: Matrix, window: CanvasWindow, canvas: Float32Array): void {
  for (let v = window.v0; v < window.v1; v++) {
    const py = v + 0.5 - HALF;
    for (let u = window.u0; u < window.u1; u++) {
      const px = u + 0.5 - HALF;
      canvas[v * CANVAS + u] = sample(source, a * px + b * py + CENTRE, c * px + d * py + CENTRE);
    }
  }
}

function warpElastic(source: Float32Array, [a, b, c, d]: Matrix, field: Float32Array, window: CanvasWindow, work: AugmentWorkspace): void {
  const { canvas, fieldLine: row } = work;
  for (let v = window.v0; v < window.v1; v++) {
    const py = v + 0.5 - HALF;
    fieldRow(field, v, row);
    for (let u = window.u0; u < window.u1; u++) {
      const px = u + 0.5 - HALF;
      const i = GRID_CELL[u];
      const fx = GRID_FRACTION[u];
      const x = a * px + b * py + CENTRE + (row[i] + (row[i + 1] - row[i]) * fx);
      const y = c * px + d * py + CENTRE + (row[GRID + i] + (row[GRID + i + 1] - row[GRID + i]) * fx);
      canvas[v * CANVAS + u] = sample(source, x, y);
    }
  }
}

/**
 * One 3×3 grey dilation (max) or erosion (min) of the canvas into `out`, as two passes of
 * three (rows, then columns); `line` is scratch. Outside the canvas counts as no ink for a
 * dilation and as ink for an erosion, so neither moves the digit's edge at the border.
 * Only the rectangle `r` is computed, the rest of `out` is cleared: `from` has no ink outside
 * `r` shrunk by a pixel, so both operations give 0 there. Written out once per direction: a
 * shared min/max callback kept the loops from being optimised.
 */
function morph(from: Float32Array, out: Float32Array, line: Float32Array, r: CanvasWindow, dilate: boolean): void {
  line.fill(0);
  out.fill(0);
  if (dilate) {
    dilateRows(from, line, r);
    dilateColumns(line, out, r);
  } else {
    erodeRows(from, line, r);
    erodeColumns(line, out, r);
  }
}

const LAST = CANVAS - 1;

function dilateRows(from: Float32Array, to: Float32Array, r: CanvasWindow): void {
  for (let y = r.v0; y < r.v1; y++) {
    const row = y * CANVAS;
    for (let x = r.u0; x < r.u1; x++) {
      const left = x > 0 ? from[row + x - 1] : 0;
      const right = x < LAST ? from[row + x + 1] : 0;
      const centre = from[row + x];
      const most = left > centre ? left : centre;
      to[row + x] = most > right ? most : right;
    }
  }
}

function dilateColumns(from: Float32Array, to: Float32Array, r: CanvasWindow): void {
  for (let y = r.v0; y < r.v1; y++) {
    const row = y * CANVAS;
    for (let x = r.u0; x < r.u1; x++) {
      const up = y > 0 ? from[row - CANVAS + x] : 0;
      const down = y < LAST ? from[row + CANVAS + x] : 0;
      const centre = from[row + x];
      const most = up > centre ? up : centre;
      to[row + x] = most > down ? most : down;
    }
  }
}

function erodeRows(from: Float32Array, to: Float32Array, r: CanvasWindow): void {
  for (let y = r.v0; y < r.v1; y++) {
    const row = y * CANVAS;
    for (let x = r.u0; x < r.u1; x++) {
      const left = x > 0 ? from[row + x - 1] : 1;
      const right = x < LAST ? from[row + x + 1] : 1;
      const centre = from[row + x];
      const least = left < centre ? left : centre;
      to[row + x] = least < right ? least : right;
    }
  }
}

function erodeColumns(from: Float32Array, to: Float32Array, r: CanvasWindow): void {
  for (let y = r.v0; y < r.v1; y++) {
    const row = y * CANVAS;
    for (let x = r.u0; x < r.u1; x++) {
      const up = y > 0 ? from[row - CANVAS + x] : 1;
      const down = y < LAST ? from[row + CANVAS + x] : 1;
      const centre = from[row + x];
      const least = up < centre ? up : centre;
      to[row + x] = least < down ? least : down;
    }
  }
}

/** `w` one pixel larger on every side, within the canvas. */
function grown(w: CanvasWindow): CanvasWindow {
  return { u0: Math.max(0, w.u0 - 1), u1: Math.min(CANVAS, w.u1 + 1), v0: Math.max(0, w.v0 - 1), v1: Math.min(CANVAS, w.v1 + 1) };
}

/** `to` = one dilation or erosion of `from` over `r`, blended back towards `from` by `fraction`; returns the brightest ink left. */
function thicknessStep(
  from: Float32Array,
  to: Float32Array,
  r: CanvasWindow,
  dilate: boolean,
  fraction: number,
  line: Float32Array,
): number {
  morph(from, to, line, r, dilate);
  let ink = 0;
  for (let y = r.v0; y < r.v1; y++) {
    for (let i = y * CANVAS + r.u0; i < y * CANVAS + r.u1; i++) {
      to[i] = from[i] + (to[i] - from[i]) * fraction;
      if (to[i] > ink) ink = to[i];
    }
  }
  return ink;
}

/**
 * Thickens (amount > 0) or thins the strokes by |amount| pixels: whole 3×3 dilations or
 * erosions, then a blend towards one more for the fraction. Thinning that would erase the
 * digit keeps the last image that still had ink. `window` holds all of the canvas's ink; so does
 * the window returned with the result.
 */
function changeThickness(
  canvas: Float32Array,
  window: CanvasWindow,
  amount: number,
  work: AugmentWorkspace,
): { canvas: Float32Array; window: CanvasWindow } {
  let current = canvas;
  let other = work.spare;
  let r = window;
  const steps = Math.ceil(Math.abs(amount));
  for (let k = 0; k < steps; k++) {
    r = grown(r); // a dilation spreads ink by a pixel; an erosion never does, and a larger r costs it nothing
    const fraction = Math.min(1, Math.abs(amount) - k);
    const ink = work.kernels
      ? work.kernels.thicknessStep(current === work.canvas, r.v0, r.v1, amount > 0, fraction)
      : thicknessStep(current, other, r, amount > 0, fraction, work.line);
    if (ink <= 0) return { canvas: current, window: r };
    [current, other] = [other, current];
  }
  return { canvas: current, window: r };
}

/**
 * The hot loops in faster form (the trainer's WebAssembly, main/engine/wasm/augment-simd.ts):
 * the same arithmetic, so the same image bit for bit, on a workspace whose buffers are views of
 * the kernels' own memory. Each works on the workspace it came with.
 */
export interface AugmentKernels {
  /** `warpLinear` from `padded` into `canvas`. */
  warpLinear(a: number, b: number, c: number, d: number, u0: number, u1: number, v0: number, v1: number): void;
  /** `warpElastic` from `padded` into `canvas`, with the field in `field`. */
  warpElastic(a: number, b: number, c: number, d: number, u0: number, u1: number, v0: number, v1: number): void;
  /** `pad` of `source` into `padded`, and its `inkBox`. */
  padAndFindInk(source: Float32Array): InkBox | null;
  /** `thicknessStep` from `canvas` into `spare` (`fromCanvas`) or back, over rows [v0, v1). */
  thicknessStep(fromCanvas: boolean, v0: number, v1: number, dilate: boolean, fraction: number): number;
  /** `fitInk` of `canvas` (`fromCanvas`) or `spare` within the window into `fitted`; false without ink. */
  fit(fromCanvas: boolean, window: CanvasWindow): boolean;
}

/** Reusable buffers for one thread's augmentation, so an image allocates next to nothing. */
export interface AugmentWorkspace {
  /** The elastic field handed to the kernels (2 × GRID × GRID). */
  field: Float32Array;
  kernels?: AugmentKernels;
  canvas: Float32Array;
  spare: Float32Array;
  line: Float32Array;
  /** One canvas row of the elastic field (`fieldRow`). */
  fieldLine: Float32Array;
  /** The refit 28×28 image. */
  fitted: Float32Array;
  /** The source with a blank border (`pad`). */
  padded: Float32Array;
}

export function augmentWorkspace(): AugmentWorkspace {
  const buffer = () => new Float32Array(CANVAS * CANVAS);
  return {
    canvas: buffer(),
    spare: buffer(),
    line: buffer(),
    fieldLine: new Float32Array(2 * GRID),
    field: new Float32Array(2 * GRID * GRID),
    fitted: new Float32Array(PIXEL_COUNT),
    padded: new Float32Array(PADDED * PADDED),
  };
}

/** The seed of image `index` of iteration `iteration` (0-based) of a run seeded `seed`. */
export function imageSeed(seed: number, iteration: number, index: number): number {
  return (seed ^ Math.imul(iteration + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/** Applies `t` to one 28×28 image (784 values, 0–1) in place; an image without ink stays as it is. */
export function applyTransform(pixels: Float32Array, t: Transform, work: AugmentWorkspace = augmentWorkspace()): void {
  const window = warp(pixels, t, work);
  if (!window) return;
  const warped = { canvas: work.canvas, window };
  const { canvas, window: inked } = t.thickness === 0 ? warped : changeThickness(work.canvas, window, t.thickness, work);
  if (work.kernels) {
    if (work.kernels.fit(canvas === work.canvas, inked)) pixels.set(work.fitted);
    return;
  }
  const within = { x0: inked.u0, y0: inked.v0, x1: inked.u1, y1: inked.v1 };
  const fitted = fitInk({ width: CANVAS, height: CANVAS, data: canvas }, work.fitted, within);
  if (fitted.box) pixels.set(fitted.pixels);
}

/** Augments one image in place with the transform `seed` draws; stays in 0–1. */
export function augmentImage(pixels: Float32Array, a: Augmentation, seed: number, work: AugmentWorkspace = augmentWorkspace()): void {
  if (isAugmenting(a)) applyTransform(pixels, drawTransform(a, mulberry32(seed)), work);
}

/**
 * Augments the first `count` images of a batch (`[n, 784]`, 0–1) in place: image i with the
 * transform for (seed, iteration, first + i), so any slice of a batch gets what the whole would.
 */
export function augmentBatch(
  pixels: Float32Array,
  count: number,
  a: Augmentation,
  at: { seed: number; iteration: number; first?: number },
  work: AugmentWorkspace = augmentWorkspace(),
): void {
  if (!isAugmenting(a)) return;
  const first = at.first ?? 0;
  for (let i = 0; i < count; i++) {
    augmentImage(pixels.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT), a, imageSeed(at.seed, at.iteration, first + i), work);
  }
}
