import { describe, expect, it } from 'vitest';
import { axisWeights, centreOfMass, MNIST_SIZE, prepare, preprocess, resampleArea, toInk, type InkImage } from '../../../common/preprocess';

/** A grayscale canvas (one byte per pixel) with helpers to paint ink on it. */
function canvas(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height);
  const image: InkImage = { width, height, data };
  return {
    image,
    rect(x: number, y: number, w: number, h: number, value = 255) {
      for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) data[yy * width + xx] = value;
      return this;
    },
    ring(cx: number, cy: number, outer: number, inner: number) {
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
          if (d <= outer && d >= inner) data[y * width + x] = 255;
        }
      return this;
    },
  };
}

/** Bounding box and centre of mass of a 28×28 result. */
function measure(out: Float32Array) {
  let x0 = MNIST_SIZE,
    y0 = MNIST_SIZE,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < MNIST_SIZE; y++)
    for (let x = 0; x < MNIST_SIZE; x++)
      if (out[y * MNIST_SIZE + x] > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  const com = centreOfMass({ width: MNIST_SIZE, height: MNIST_SIZE, data: out });
  return { width: x1 - x0 + 1, height: y1 - y0 + 1, com };
}

function expectInUnitRange(out: Float32Array): void {
  for (const v of out) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
}

describe('preprocess', () => {
  it('returns 784 values', () => {
    expect(preprocess(canvas(280, 280).rect(100, 100, 30, 60).image)).toHaveLength(784);
  });

  it('leaves a centred 20×20 digit where it is, centre of mass at (14, 14)', () => {
    const input = canvas(28, 28).ring(14, 14, 10, 7).image;
    const out = preprocess(input);
    const m = measure(out);
    expect(m.width).toBeLessThanOrEqual(20);
    expect(m.height).toBeLessThanOrEqual(20);
    expect(m.com!.x).toBeCloseTo(14, 0);
    expect(Math.abs(m.com!.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.com!.y - 14)).toBeLessThanOrEqual(0.5);
    // Same pixels as drawn: nothing was moved or rescaled.
    for (let i = 0; i < 784; i++) expect(out[i]).toBeCloseTo(input.data[i] / 255, 5);
  });

  it('moves a small digit drawn in a corner to the centre and scales its longer side to 20', () => {
    const out = preprocess(canvas(280, 280).rect(10, 12, 30, 50).image);
    const m = measure(out);
    expect(m.height).toBe(20);
    expect(m.width).toBe(12);
    expect(Math.abs(m.com!.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.com!.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('keeps the aspect ratio of a tall thin "1"', () => {
    const out = preprocess(canvas(280, 280).rect(130, 40, 20, 200).image);
    const m = measure(out);
    expect(m.height).toBe(20);
    expect(m.width).toBe(2);
    expect(Math.abs(m.com!.x - 14)).toBeLessThanOrEqual(0.5);
  });

  it('keeps the aspect ratio of a wide short stroke', () => {
    const m = measure(preprocess(canvas(280, 280).rect(20, 200, 200, 40).image));
    expect(m.width).toBe(20);
    expect(m.height).toBe(4);
  });

  it('gives all zeros for an empty canvas, without throwing', () => {
    const out = preprocess(canvas(280, 280).image);
    expect(out).toHaveLength(784);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('gives all zeros for a zero-sized image', () => {
    expect(preprocess({ width: 0, height: 0, data: new Uint8ClampedArray(0) }).every((v) => v === 0)).toBe(true);
  });

  it('ignores faint anti-aliasing fringe below the ink threshold', () => {
    expect(preprocess(canvas(50, 50).rect(0, 0, 50, 50, 3).image).every((v) => v === 0)).toBe(true);
  });

  it('turns a single dot into a finite, non-empty, centred blob', () => {
    const out = preprocess(canvas(280, 280).rect(200, 37, 1, 1).image);
    expectInUnitRange(out);
    const m = measure(out);
    expect(m.width).toBeGreaterThan(0);
    expect(Math.abs(m.com!.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.com!.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('fits a scribble over the whole canvas into 20×20 with values in [0, 1]', () => {
    const scribble = canvas(280, 280);
    for (let i = 0; i < 28; i++) scribble.rect(0, i * 10, 280, 4).rect(i * 10, 0, 3, 280);
    const out = preprocess(scribble.image);
    expectInUnitRange(out);
    const m = measure(out);
    expect(m.width).toBeLessThanOrEqual(20);
    expect(m.height).toBeLessThanOrEqual(20);
    expect(Math.abs(m.com!.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.com!.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('anti-aliases when shrinking: a thin line becomes grey, not dropped or solid', () => {
    // A 200×200 box outline with 1-px sides: shrinking 10× gives partial coverage at the edges.
    const out = preprocess(canvas(280, 280).rect(40, 40, 200, 1).rect(40, 239, 200, 1).rect(40, 40, 1, 200).rect(239, 40, 1, 200).image);
    const values = new Set(Array.from(out).map((v) => v.toFixed(2)));
    expect(values.size).toBeGreaterThan(2);
  });

  it('reads the alpha channel of RGBA input', () => {
    const rgba = new Uint8ClampedArray(28 * 28 * 4);
    for (let y = 8; y < 20; y++) for (let x = 12; x < 16; x++) rgba[(y * 28 + x) * 4 + 3] = 255; // black, opaque
    const out = preprocess({ width: 28, height: 28, data: rgba });
    expect(measure(out).height).toBe(20);
  });

  it('throws on data that fits neither grayscale nor RGBA', () => {
    expect(() => preprocess({ width: 10, height: 10, data: new Uint8ClampedArray(7) })).toThrow(/expected 100 or 400 values/);
  });

  it('pushes a lopsided digit only as far as keeps all its ink inside', () => {
    // Long bar plus a heavy blob at one end: centring the mass would push the bar off the edge.
    const out = preprocess(canvas(100, 100).rect(0, 0, 100, 5).rect(0, 0, 10, 60).image);
    let inkSum = 0;
    for (const v of out) inkSum += v;
    const m = measure(out);
    expect(m.width).toBe(20);
    expect(inkSum).toBeGreaterThan(0);
  });
});

describe('prepare', () => {
  it("gives preprocess's pixels and the ink box it cropped to; null without ink", () => {
    const image = canvas(280, 280).rect(100, 120, 30, 60).image;
    const prepared = prepare(image);
    expect(prepared.pixels).toEqual(preprocess(image));
    expect(prepared.box).toEqual({ x0: 100, y0: 120, x1: 130, y1: 180 });
    expect(prepare(canvas(280, 280).image).box).toBeNull();
  });
});

describe('axisWeights', () => {
  it('gives each target pixel weights that sum to 1', () => {
    for (const [from, to] of [
      [280, 20],
      [7, 20],
      [13, 5],
      [1, 20],
    ]) {
      for (const { weights } of axisWeights(from, to)) {
        expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      }
    }
  });
});

describe('resampleArea', () => {
  it('preserves the mean brightness when shrinking by a whole factor', () => {
    const ink = toInk(canvas(40, 40).rect(3, 5, 17, 29).image);
    const small = resampleArea(ink, 10, 10);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(small.data)).toBeCloseTo(mean(ink.data), 5);
  });
});

describe('centreOfMass', () => {
  it('is null for an image without ink', () => {
    expect(centreOfMass({ width: 3, height: 3, data: new Float32Array(9) })).toBeNull();
  });

  it('uses pixel centres, so a single pixel at (0, 0) has its mass at (0.5, 0.5)', () => {
    const data = new Float32Array(9);
    data[0] = 1;
    expect(centreOfMass({ width: 3, height: 3, data })).toEqual({ x: 0.5, y: 0.5 });
  });
});
