import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import type { ProgressEvent, RunFinishedEvent, RunStartedEvent, TestResults } from '../../../../common/api';

/** Small builders for StudioEvents, so tests state only what they check. */
export function progress(iteration: number, runId = 'run-a'): ProgressEvent {
  return {
    type: 'progress',
    runId,
    iteration,
    totalIterations: 1000,
    epoch: 0,
    loss: 1 / iteration,
    accuracy: 0.5,
    samplesPerSec: 100,
    elapsedMs: iteration,
    etaMs: 1000 - iteration,
  };
}

export function started(runId = 'run-a'): RunStartedEvent {
  return { type: 'started', runId, totalIterations: 1000, backend: 'cpu', hyperparams: DEFAULT_HYPERPARAMS, seed: 1 };
}

export const EMPTY_TEST: TestResults = {
  count: 0,
  accuracy: 0,
  loss: 0,
  perClassAccuracy: [],
  confusion: [],
  misclassified: [],
};

export function done(runId = 'run-a'): RunFinishedEvent {
  return { type: 'done', runId, stopped: false, iterations: 1000, elapsedMs: 1, test: EMPTY_TEST };
}
