import { IMAGE_SIDE } from './mnist';
/**
 * Turns a drawing into an MNIST-style input, following MNIST's own recipe: crop to the ink's
 * bounding box → scale to fit 20×20 keeping the aspect ratio (area-averaged, so anti-aliased)
 * → place in 28×28 with the centre of mass at the centre → white ink on black, 0–1.
 * Pure: no DOM, so it runs (and is tested) in Node.
 */

/** Side of the model's input image, in pixels. */
export const MNIST_SIZE = IMAGE_SIDE;
/** Side of the box the digit is scaled to fit, as in MNIST. */
export const DIGIT_BOX = 20;
/** Ink below this (0–1) is anti-aliasing fringe and does not widen the bounding box. */
export const INK_THRESHOLD = 8 / 255;

/**
 * An ImageData-like picture. `data` is either one byte per pixel (ink intensity, 0–255) or
 * RGBA (4 bytes per pixel), in which case the alpha channel is the ink: the pad draws opaque
 * strokes on a transparent canvas, so alpha is independent of the theme's ink colour.
 */
export interface InkImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | ArrayLike<number>;
}

/** Inclusive-exclusive pixel box: columns x0…x1-1, rows y0…y1-1. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A grayscale image of `width × height` floats, row-major. */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Reads the ink of each pixel as 0–1 (alpha for RGBA input, the value for one channel). */
export function toInk(image: InkImage): FloatImage {
  const { width, height, data } = image;
  const count = width * height;
  const stride = data.length === count * 4 ? 4 : data.length === count ? 1 : 0;
  if (stride === 0) {
    throw new RangeError(`preprocess: expected ${count} or ${count * 4} values for ${width}×${height}, got ${data.length}`);
  }
  const offset = stride === 4 ? 3 : 0;
  const ink = new Float32Array(count);
  for (let i = 0; i < count; i++) ink[i] = data[i * stride + offset] / 255;
  return { width, height, data: ink };
}

/** The bounding box of pixels with ink above `threshold`, or null when there is none; `within`: where to look, when the caller knows no ink lies outside it. */
export function inkBounds(image: FloatImage, threshold = INK_THRESHOLD, within?: Box): Box | null {
  const { width, height, data } = image;
  const area = within ?? { x0: 0, y0: 0, x1: width, y1: height };
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = area.y0; y < area.y1; y++) {
    for (let x = area.x0; x < area.x1; x++) {
      if (data[y * width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** For each destination pixel along one axis: the first source pixel and their coverages. */
interface AxisWeights {
  start: number;
  weights: number[];
}

/**
 * Area-averaging (box filter) weights mapping `sourceSize` pixels onto `targetSize`: each
 * target pixel covers an interval of the source and averages what lies under it, by overlap.
 * Weights of one target pixel sum to 1.
 */
export function axisWeights(sourceSize: number, targetSize: number): AxisWeights[] {
  const span = sourceSize / targetSize;
  const out: AxisWeights[] = [];
  for (let t = 0; t < targetSize; t++) {
    const from = t * span;
    const to = Math.min(sourceSize, from + span);
    const start = Math.floor(from);
    const weights: number[] = [];
    for (let s = start; s < to; s++) {
      const overlap = Math.min(to, s + 1) - Math.max(from, s);
      if (overlap > 0) weights.push(overlap / span);
    }
    out.push({ start, weights });
  }
  return out;
}

/**
 * `axisWeights`, remembered: training-time augmentation refits every image of every batch
 * (common/augment.ts), and a few hundred size pairs cover them all. Bounded, in case a caller
 * brings endless new sizes.
 */
const WEIGHTS_CACHE = new Map<number, AxisWeights[]>();
function cachedAxisWeights(sourceSize: number, targetSize: number): AxisWeights[] {
  const key = sourceSize * 65536 + targetSize;
  let weights = WEIGHTS_CACHE.get(key);
  if (!weights) {
    if (WEIGHTS_CACHE.size >= 4096) WEIGHTS_CACHE.clear();
    weights = axisWeights(sourceSize, targetSize);
    WEIGHTS_CACHE.set(key, weights);
  }
  return weights;
}

/** Resizes with area averaging, separably: rows first, then columns. */
export function resampleArea(image: FloatImage, width: number, height: number): FloatImage {
  const data = new Float32Array(width * height);
  resampleBox(image, { x0: 0, y0: 0, x1: image.width, y1: image.height }, width, height, data);
  return { width, height, data };
}

/**
 * Scratch for the row pass of `resampleBox`, grown as needed and reused: the refit runs for
 * every image of every augmented batch, and a fresh buffer each time was a third of its cost.
 * JavaScript is single-threaded per realm, so one buffer per module is safe.
 */
let rowScratch = new Float32Array(0);

/** `resampleArea` of the part of `image` inside `box`, into `out` (`width × height`), without copying the box out first. */
function resampleBox(image: FloatImage, box: Box, width: number, height: number, out: Float32Array): void {
  const xw = cachedAxisWeights(box.x1 - box.x0, width);
  const yw = cachedAxisWeights(box.y1 - box.y0, height);
  const sourceRows = box.y1 - box.y0;
  if (rowScratch.length < width * sourceRows) rowScratch = new Float32Array(width * sourceRows);
  const rows = rowScratch;
  const source = image.data;
  for (let y = 0; y < sourceRows; y++) {
    const line = (box.y0 + y) * image.width + box.x0;
    for (let x = 0; x < width; x++) {
      const { start, weights } = xw[x];
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * source[line + start + k];
      rows[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    const { start, weights } = yw[y];
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * rows[(start + k) * width + x];
      out[y * width + x] = sum;
    }
  }
}

/**
 * Centre of mass in pixel-centre coordinates (pixel i spans i…i+1, so its centre is i + 0.5
 * and the centre of a 28-pixel image is exactly 14). Null for an image without ink.
 */
export function centreOfMass(image: FloatImage): { x: number; y: number } | null {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.data[y * image.width + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return mass > 0 ? { x: mx / mass, y: my / mass } : null;
}

/** Scales the first `count` values in place so the brightest is 1 (MNIST strokes saturate in the core). */
function normalise(data: Float32Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (data[i] > max) max = data[i];
  if (max > 0) for (let i = 0; i < count; i++) data[i] = Math.min(1, data[i] / max);
}

/**
 * The full recipe. Returns 784 values, row-major, 0–1, white ink on black.
 * An image without ink gives all zeros. The digit is shifted by whole pixels (no blur), so the
 * centre of mass lands within half a pixel of (14, 14); where centring would push ink over the
 * edge the shift is clamped, as losing part of the digit is worse than being slightly off-centre.
 */
export function preprocess(image: InkImage): Float32Array {
  return prepare(image).pixels;
}

/** The recipe's 784 values, and the ink's bounding box on the pad it found on the way (null: no ink). */
export interface Prepared {
  pixels: Float32Array;
  box: Box | null;
}

/** `preprocess`, also handing back the ink's box, so a caller that needs it does not scan the pad again. */
export function prepare(image: InkImage): Prepared {
  if (image.width <= 0 || image.height <= 0) return { pixels: new Float32Array(MNIST_SIZE * MNIST_SIZE), box: null };
  return fitInk(toInk(image));
}

/**
 * The recipe from the crop on, for ink already read as 0–1: crop to the ink → fit 20×20 keeping
 * the aspect ratio → brightest pixel 1 → centre of mass at the centre of 28×28. Training-time
 * augmentation (augment.ts) ends with it, so that training sees what the pad produces; it passes
 * `out` to write into, which is cleared first, and `within`, the part of the canvas that can hold ink.
 */
export function fitInk(ink: FloatImage, out: Float32Array = new Float32Array(MNIST_SIZE * MNIST_SIZE), within?: Box): Prepared {
  out.fill(0);
  const box = inkBounds(ink, INK_THRESHOLD, within);
  if (!box) return { pixels: out, box };
  const [boxWidth, boxHeight] = [box.x1 - box.x0, box.y1 - box.y0];
  const scale = DIGIT_BOX / Math.max(boxWidth, boxHeight);
  const width = clamp(Math.round(boxWidth * scale), 1, DIGIT_BOX);
  const height = clamp(Math.round(boxHeight * scale), 1, DIGIT_BOX);
  const digit = DIGIT_SCRATCH;
  resampleBox(ink, box, width, height, digit);
  normalise(digit, width * height);
  const com = centreOfMass({ width, height, data: digit }) ?? { x: width / 2, y: height / 2 };
  const dx = clamp(Math.round(MNIST_SIZE / 2 - com.x), 0, MNIST_SIZE - width);
  const dy = clamp(Math.round(MNIST_SIZE / 2 - com.y), 0, MNIST_SIZE - height);
  for (let y = 0; y < height; y++) {
    const [from, to] = [y * width, (y + dy) * MNIST_SIZE + dx];
    for (let x = 0; x < width; x++) out[to + x] = digit[from + x];
  }
  return { pixels: out, box };
}

/** The fitted digit before it is placed: at most 20×20 (reused, as `rowScratch` is). */
const DIGIT_SCRATCH = new Float32Array(DIGIT_BOX * DIGIT_BOX);

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
