/**
 * What a training step gives back, and the stepper the engine trains with: the types the
 * one-thread step (train-step.ts), the two-thread stepper (parallel/) and scoring (score.ts)
 * share. Kept apart so none of them imports another for a type.
 */
import type { Batch, Split } from './data/dataset';

export interface StepResult {
  loss: number;
  /** Batch accuracy, 0–1; NaN when not asked for. */
  accuracy: number;
}

/** Runs optimisation steps for one model, and scores it; the engine's only way to train. */
export interface Stepper {
  step(batch: Batch, withAccuracy: boolean): Promise<StepResult>;
  /** Mean cross-entropy and accuracy of the current weights over all of `split`. */
  score(split: Split): Promise<StepResult>;
  dispose(): void;
}
