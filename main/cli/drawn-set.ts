/**
 * A drawn-digit set (test/fixtures/drawn-digits/): digits recorded as pad strokes, replayed
 * the way the drawing pad paints them (round-capped lines on a transparent square) and put
 * through the pad's own preprocessing (common/preprocess.ts), then scored by a run. Pure but
 * for the file read.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Prediction } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { InkImage } from '../../common/preprocess';
import { preprocess } from '../../common/preprocess';

const PointSchema = z.tuple([z.number().finite(), z.number().finite()]);

export const DrawnSetSchema = z
  .object({
    formatVersion: z.literal(1),
    description: z.string(),
    padSize: z.number().int().min(28).max(4096),
    digits: z
      .array(
        z
          .object({
            label: z.number().int().min(0).max(9),
            style: z.string().max(100),
            /** Stroke width, pad pixels. */
            width: z.number().min(1).max(200),
            strokes: z.array(z.array(PointSchema).min(1)).min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type DrawnSet = z.infer<typeof DrawnSetSchema>;
export type DrawnDigit = DrawnSet['digits'][number];

/** Reads and validates a set; a damaged file gets an error naming it and the first problem. */
export async function loadDrawnSet(file: string): Promise<DrawnSet> {
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new StudioError('not-found', `${file}: ${(err as Error).message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StudioError('invalid-input', `${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = DrawnSetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError('invalid-input', `${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Distance from (px, py) to the segment a–b. */
function segmentDistance(px: number, py: number, [ax, ay]: number[], [bx, by]: number[]): number {
  const [dx, dy] = [bx - ax, by - ay];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * The strokes painted as the pad paints them: round caps and joins, `width` wide, ink as
 * coverage (one byte per pixel, 0–255), anti-aliased over one pixel at the edge.
 */
export function renderStrokes(digit: Pick<DrawnDigit, 'strokes' | 'width'>, padSize: number): InkImage {
  const data = new Uint8ClampedArray(padSize * padSize);
  const radius = digit.width / 2;
  for (const stroke of digit.strokes) {
    const segments = stroke.length === 1 ? [[stroke[0], stroke[0]]] : stroke.slice(1).map((p, i) => [stroke[i], p]);
    for (const [a, b] of segments) {
      const [x0, x1] = [Math.min(a[0], b[0]) - radius - 1, Math.max(a[0], b[0]) + radius + 1].map((v) => Math.round(v));
      const [y0, y1] = [Math.min(a[1], b[1]) - radius - 1, Math.max(a[1], b[1]) + radius + 1].map((v) => Math.round(v));
      for (let y = Math.max(0, y0); y < Math.min(padSize, y1); y++) {
        for (let x = Math.max(0, x0); x < Math.min(padSize, x1); x++) {
          const coverage = Math.max(0, Math.min(1, radius + 0.5 - segmentDistance(x + 0.5, y + 0.5, a, b)));
          data[y * padSize + x] = Math.max(data[y * padSize + x], Math.round(coverage * 255));
        }
      }
    }
  }
  return { width: padSize, height: padSize, data };
}

/** One digit's 784 model inputs, through the pad's preprocessing. */
export function drawnPixels(digit: DrawnDigit, padSize: number): Float32Array {
  return preprocess(renderStrokes(digit, padSize));
}

export interface DrawnScore {
  total: number;
  correct: number;
  /** Per label 0–9: how many digits of it the set holds and how many were read right. */
  perDigit: { label: number; count: number; correct: number }[];
  /** Every misread digit: its index in the set, label, style and the answer given. */
  misread: { index: number; label: number; style: string; predicted: number }[];
}

const argmax = (values: readonly number[]) => values.reduce((best, v, i) => (v > values[best] ? i : best), 0);

/** Scores every digit of the set with `predict` (one image's probabilities). */
export async function scoreDrawnSet(set: DrawnSet, predict: (pixels: number[]) => Promise<Prediction>): Promise<DrawnScore> {
  const perDigit = Array.from({ length: 10 }, (_, label) => ({ label, count: 0, correct: 0 }));
  const misread: DrawnScore['misread'] = [];
  for (const [index, digit] of set.digits.entries()) {
    const predicted = argmax((await predict(Array.from(drawnPixels(digit, set.padSize)))).probabilities);
    perDigit[digit.label].count++;
    if (predicted === digit.label) perDigit[digit.label].correct++;
    else misread.push({ index, label: digit.label, style: digit.style, predicted });
  }
  const correct = perDigit.reduce((sum, d) => sum + d.correct, 0);
  return { total: set.digits.length, correct, perDigit, misread };
}
