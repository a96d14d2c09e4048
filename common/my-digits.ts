/**
 * "My digits", the personal set: digits a person drew and labelled, each kept for one of two
 * parts, fine-tuning or scoring, so that a run is never scored on a digit it was taught. The
 * shapes the API and the file share, the request schemas, and the pure split rule. zod only.
 */
import { z } from 'zod';
import { int } from './hyperparams';
import { PIXEL_COUNT } from './mnist';

/** The two parts of the set: digits a fine-tune may learn from, and digits runs are scored on. */
export const MY_DIGIT_PARTS = ['fine-tune', 'score'] as const;
export type MyDigitPart = (typeof MY_DIGIT_PARTS)[number];

/** Most digits the set holds: a person's afternoon of drawing, well within one import file. */
export const MAX_MY_DIGITS = 1000;
/** Most strokes per digit, and points per stroke (the pad records a point every few pixels). */
export const MAX_STROKES = 200;
export const MAX_STROKE_POINTS = 5000;
/** Pad coordinates may run past the pad's edge (the pointer is captured), but not by more than this. */
const COORD_LIMIT = 10_000;

/** `d-<time in base 36>-<8 hex>`: made by the service, safe in any file or attribute. */
export const MyDigitIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a digit id is lowercase letters, digits and "-"');

/** One point of a stroke in pad coordinates (CSS pixels from the pad's top-left), with its line width. */
export const StrokePointSchema = z
  .object({
    x: z.number().min(-COORD_LIMIT).max(COORD_LIMIT),
    y: z.number().min(-COORD_LIMIT).max(COORD_LIMIT),
    /** Line width at this point, CSS pixels (a pen's pressure changes it). */
    width: z.number().min(0.1).max(200),
  })
  .strict();

/** One stroke, pointer-down to pointer-up, as the drawing pad recorded it. */
export const StrokeSchema = z.object({ points: z.array(StrokePointSchema).min(1).max(MAX_STROKE_POINTS) }).strict();
export type MyStroke = z.infer<typeof StrokeSchema>;

const digit = int(0, 9);
/** 784 model inputs, 0–1, as common/preprocess.ts prepares them (its own schema in api.ts, passed in). */
const pixelsSchema = z.array(z.number().min(0).max(1)).length(PIXEL_COUNT);

/** The fields a saved digit is made from: what the pad gives, and the label the person confirmed. */
export function saveMyDigitSchema(pixels: z.ZodType<number[]> = pixelsSchema) {
  return z
    .object({
      /** The true digit, 0–9. */
      label: digit,
      /** The model's input, 28×28 row-major, white ink on black, 0–1. */
      pixels,
      /** The raw strokes, so the digit can be prepared again if the preprocessing changes. */
      strokes: z.array(StrokeSchema).min(1).max(MAX_STROKES),
      /** Side of the pad the strokes were drawn on, CSS pixels. */
      padSize: int(28, 4096),
    })
    .strict();
}

export const MyDigitRefSchema = z.object({ id: MyDigitIdSchema }).strict();
export type MyDigitRef = z.infer<typeof MyDigitRefSchema>;

/** Changes a saved digit's label or part (the gallery's "move to scoring"). */
export const UpdateMyDigitRequestSchema = z
  .object({ id: MyDigitIdSchema, label: digit.optional(), part: z.enum(MY_DIGIT_PARTS).optional() })
  .strict();
export type UpdateMyDigitRequest = z.infer<typeof UpdateMyDigitRequestSchema>;

/** The share of each fine-tuning batch drawn from the fine-tune digits (the rest is MNIST). */
export const MixRatioSchema = z.number().min(0.05).max(0.9);
export const DEFAULT_MIX_RATIO = 0.25;
/** Iterations a fine-tune trains by default: a few hundred, under a minute for the classic model. */
export const DEFAULT_FINE_TUNE_ITERATIONS = 300;

/** One saved digit as the gallery shows it (the strokes stay in the file). */
export interface MyDigit {
  id: string;
  label: number;
  part: MyDigitPart;
  /** ISO time it was saved. */
  createdAt: string;
  /** 784 model inputs, 0–1. */
  pixels: number[];
}

/** The whole set: every digit, oldest first, and what happened when the file was read. */
export interface MyDigitsListing {
  /** Goes up by one with every change; scores are cached by it. */
  revision: number;
  digits: MyDigit[];
  /** Where the set is stored. */
  file: string;
  /** Set when the file (or some of its entries) could not be read: what was kept and where the damaged file went. */
  problem: string | null;
}

/** A run's accuracy on the score part. */
export interface MyDigitsScore {
  runId: string;
  /** The set's revision the score was computed at. */
  revision: number;
  /** Score digits read; 0 when the score part is empty (accuracy is then null). */
  count: number;
  correct: number;
  accuracy: number | null;
  /** Per label 0–9: how many score digits it has and how many the run read right. */
  perDigit: { label: number; count: number; correct: number }[];
  /** Each scored digit's answer. */
  answers: { id: string; predicted: number }[];
  /** Score digits left out because this run (or one it was fine-tuned from) learnt from them. */
  excluded: number;
}

/** What a fine-tuned run's record says of where it came from (run.json's `parent`). */
export interface RunParent {
  runId: string;
  /** The parent's name when the fine-tune started. */
  name: string;
  mixRatio: number;
  /** Ids of the personal digits this run, and every run it descends from, learnt from: never scored on. */
  trainedOn: string[];
  /** The parent's test accuracy and test count, as its record said when the fine-tune started. */
  testAccuracy: number | null;
  testCount: number | null;
}

/** What importMyDigits did. */
export interface MyDigitsImport {
  added: number;
  /** Digits already in the set (same id), left as they were. */
  skipped: number;
  /** Digits not taken because the set was full. */
  overLimit: number;
  /** Set when some entries of the file could not be read (they were left out): which, and why. */
  problem: string | null;
}

/** A fine-tuned run against the run it started from, on the same digits and test images. */
export interface FineTuneReport {
  runId: string;
  parentRunId: string;
  parentName: string;
  /** Null when the parent has been deleted since (its MNIST figure then comes from the child's record). */
  before: { myDigits: MyDigitsScore | null; testAccuracy: number | null };
  after: { myDigits: MyDigitsScore; testAccuracy: number | null };
  testCount: number | null;
  /** Fine-tune digits the run learnt from. */
  trainedOn: number;
  mixRatio: number;
}

/**
 * The part a new digit of `label` joins: the part that has fewer digits of that label, scoring
 * on a tie, so the parts alternate per label and each label has both once it has two.
 */
export function partForNew(label: number, digits: readonly Pick<MyDigit, 'label' | 'part'>[]): MyDigitPart {
  let score = 0;
  let fineTune = 0;
  for (const d of digits) {
    if (d.label !== label) continue;
    if (d.part === 'score') score++;
    else fineTune++;
  }
  return fineTune < score ? 'fine-tune' : 'score';
}
