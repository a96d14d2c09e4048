/**
 * "Teach it my handwriting" as a training job (issue 17): the parent's hyperparameters with the
 * person's iterations and learning rate, the parent's seed (so the same digits give the same
 * run), the same test images the parent was scored on, and the fine-tune part of the set, never
 * the score part. The worker starts it from the parent's weights (engine/fine-tune.ts).
 */
import { DEFAULT_FINE_TUNE_ITERATIONS, DEFAULT_MIX_RATIO } from '../../common/api';
import { MNIST_TEST_COUNT } from '../../common/mnist';
import type { FineTuneRequest, RunRecord } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { StoredSet } from '../store/my-digits-store';
import type { TrainJob } from '../store/train-job';

/** The job that fine-tunes `parent` on the fine-tune digits of `set`. */
export function fineTuneJob(parent: RunRecord, request: FineTuneRequest, set: StoredSet): TrainJob {
  const digits = set.digits.filter((d) => d.part === 'fine-tune');
  if (digits.length === 0) {
    const hint = set.digits.length === 0 ? 'save some under the drawing pad first' : 'move some of your digits to the fine-tune part';
    throw new StudioError('invalid-input', `There are no digits to learn from in the fine-tune part: ${hint}.`);
  }
  const mixRatio = request.mixRatio ?? DEFAULT_MIX_RATIO;
  if (parent.hyperparams.batchSize < 2) {
    throw new StudioError(
      'invalid-input',
      `${parent.name || parent.runId} trains with batches of 1: there is no room to mix your digits in.`,
    );
  }
  // Digits the parent (or its own parent) learnt from stay excluded from this run's score too.
  const trainedOn = [...new Set([...(parent.parent?.trainedOn ?? []), ...digits.map((d) => d.id)])];
  const testLimit = parent.testCount !== null && parent.testCount < MNIST_TEST_COUNT ? parent.testCount : undefined;
  return {
    hyperparams: {
      ...parent.hyperparams,
      budgetUnit: 'iterations',
      budget: request.iterations ?? DEFAULT_FINE_TUNE_ITERATIONS,
      learningRate: request.learningRate ?? parent.hyperparams.learningRate,
      seed: parent.seed,
    },
    name: request.name?.trim() || `${parent.name || parent.runId} + my digits`,
    ...(testLimit ? { testLimit } : {}),
    fineTune: {
      parent: {
        runId: parent.runId,
        name: parent.name,
        mixRatio,
        trainedOn,
        testAccuracy: parent.testAccuracy,
        testCount: parent.testCount,
      },
      digits: digits.map((d) => ({ label: d.label, pixels: d.pixels })),
    },
  };
}
