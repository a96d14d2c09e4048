/**
 * The hyperparameters: their schema with the classic configuration as defaults, and how a budget
 * becomes iterations. Its own file so that the sweep contract (sweep.ts) and api.ts can both
 * build on it; api.ts re-exports all of it.
 */
import { z } from 'zod';
import { TRAIN_COUNT } from './mnist';

export const CELL_TYPES = ['lstm', 'gru', 'rnn'] as const;
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export const BUDGET_UNITS = ['iterations', 'epochs'] as const;

export const int = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * Training hyperparameters. Defaults are exactly the classic tutorial configuration
 * (README, "The model and its accuracy"): one LSTM of 128 units, forget bias 1, Adam 0.001, batch 128, 800 iterations.
 */
export const HyperparamsSchema = z
  .object({
    cell: z.enum(CELL_TYPES).default('lstm'),
    units: int(1, 1024).default(128),
    layers: int(1, 4).default(1),
    forgetBias: z.number().min(-10).max(10).default(1),
    learningRate: z.number().gt(0).max(10).default(0.001),
    optimizer: z.enum(OPTIMIZERS).default('adam'),
    batchSize: int(1, 4096).default(128),
    budgetUnit: z.enum(BUDGET_UNITS).default('iterations'),
    /** Iterations or epochs, as `budgetUnit` says. */
    budget: int(1, 1_000_000).default(800),
    /** Iterations between validation passes over the 5,000 validation images; 0 = never. */
    validationInterval: int(0, 1_000_000).default(100),
    /** Dropout on the recurrent layer's input, 0–0.9. */
    dropout: z.number().min(0).max(0.9).default(0),
    // Training-time augmentation (augment.ts), all off by default: each training image gets a
    // random amount up to ± the value, then is refitted as the drawing pad's preprocessing does.
    /** Largest turn, degrees. */
    rotation: z.number().min(0).max(45).default(0),
    /** Largest slant (horizontal shear), degrees. */
    shear: z.number().min(0).max(45).default(0),
    /** Largest stretch: the width changes by up to this fraction, the height the other way. */
    aspect: z.number().min(0).max(0.5).default(0),
    /** Largest change of stroke thickness, pixels (thicker or thinner). */
    thickness: z.number().min(0).max(2).default(0),
    /** Largest displacement of the smooth random (elastic) warp, pixels. */
    elastic: z.number().min(0).max(4).default(0),
    /** Random seed; null picks one at start (the run records which). */
    seed: int(0, 2 ** 31 - 1)
      .nullable()
      .default(null),
  })
  .strict();
export type Hyperparams = z.infer<typeof HyperparamsSchema>;
export type HyperparamsInput = z.input<typeof HyperparamsSchema>;

/** The classic configuration, fully spelled out. */
export const DEFAULT_HYPERPARAMS: Hyperparams = HyperparamsSchema.parse({});

/** Iterations between the batch loss/accuracy reports, as the tutorial prints them. */
export const DISPLAY_EVERY = 10;

/** Use only the first N training images (tests and quick checks). */
export const TrainLimitSchema = int(1, TRAIN_COUNT);
/** Evaluate on the first N test images only (tests); the UI always uses all 10,000. */
export const TestLimitSchema = int(1, 10_000);

/** Iterations a budget amounts to: epochs × batches per epoch (a partial last batch counts). */
export function totalIterations(hp: Pick<Hyperparams, 'budgetUnit' | 'budget' | 'batchSize'>, trainCount: number = TRAIN_COUNT): number {
  return hp.budgetUnit === 'iterations' ? hp.budget : hp.budget * Math.ceil(trainCount / hp.batchSize);
}
