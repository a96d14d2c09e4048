import { describe, expect, it } from 'vitest';
import type { TrialLive } from '../../../../common/sweep';
import { applyReport } from '../../../../main/queue/owner-reports';
import { sweepState, trial } from '../../renderer/sweep-fixtures';

const running = (index: number, configIndex: number, lr: number) =>
  trial(
    index,
    configIndex,
    { learningRate: lr, validationInterval: 10 },
    { status: 'pending', runId: null, validation: [], bestValidation: null, finalValidation: null, testAccuracy: null, iterations: 0 },
  );

function plan() {
  const state = sweepState([running(0, 0, 0.01), running(1, 1, 0.000001), running(2, 1, 0.000001)], ['learningRate']);
  state.plan.earlyStopping = { reductionFactor: 2, rungs: 1 };
  return state;
}

describe('applyReport', () => {
  it('records which worker took a trial and on which attempt, and why it was retried', () => {
    const state = plan();
    const live = new Map<number, TrialLive>();
    expect(applyReport(state, state.trials[0], { type: 'claimed', worker: 'pc-a:1', attempt: 1 }, live, 'run-0').isStateChanged).toBe(true);
    expect(state.trials[0]).toMatchObject({
      status: 'running',
      runId: 'run-0',
      queue: { worker: 'pc-a:1', attempts: 1, retryReason: null },
    });
    applyReport(state, state.trials[0], { type: 'claimed', worker: 'pc-b:2', attempt: 2 }, live, 'run-0');
    expect(state.trials[0].queue).toMatchObject({ worker: 'pc-b:2', attempts: 2, retryReason: 'pc-a:1 stopped with it' });
  });

  it('keeps progress in the live view only; a validation score is judged at the rung, here, and prunes the configuration', () => {
    const state = plan();
    const live = new Map<number, TrialLive>();
    const progress = (iteration: number, accuracy: number | null) =>
      ({
        type: 'progress',
        worker: 'w',
        iteration,
        totalIterations: 40,
        samplesPerSec: 500,
        elapsedMs: 1,
        etaMs: 1,
        validation: accuracy === null ? null : { iteration, accuracy },
      }) as const;
    applyReport(state, state.trials[0], { type: 'claimed', worker: 'w', attempt: 1 }, live, 'run-0');
    expect(applyReport(state, state.trials[0], progress(10, null), live, 'run-0')).toEqual({ isStateChanged: false, pruned: [] });
    expect(live.get(0)).toMatchObject({ iteration: 10, totalIterations: 40, samplesPerSec: 500 });
    expect(applyReport(state, state.trials[0], progress(20, 0.8), live, 'run-0').pruned).toEqual([]); // first at the rung goes on
    applyReport(state, state.trials[1], { type: 'claimed', worker: 'v', attempt: 1 }, live, 'run-1');
    const effect = applyReport(state, state.trials[1], progress(20, 0.1), live, 'run-1');
    expect(effect.pruned.map((t) => t.index)).toEqual([1, 2]); // and its other seed, before it starts
    expect(state.trials.map((t) => t.status)).toEqual(['running', 'pruned', 'pruned']);
    // A report from a worker not yet told to stop changes nothing in the sweep's file.
    expect(applyReport(state, state.trials[1], progress(30, 0.1), live, 'run-1').isStateChanged).toBe(false);
  });

  it('takes a resumed trial’s curve from its checkpoint, dropping what the dead worker reported after it', () => {
    const state = plan();
    const live = new Map<number, TrialLive>();
    const t = state.trials[0];
    t.status = 'running';
    t.validation = [
      { iteration: 10, accuracy: 0.5 },
      { iteration: 20, accuracy: 0.6 },
      { iteration: 30, accuracy: 0.7 },
    ];
    applyReport(
      state,
      t,
      {
        type: 'started',
        worker: 'w2',
        backend: 'wasm',
        totalIterations: 40,
        resumedFrom: 20,
        validation: [
          { iteration: 10, accuracy: 0.5 },
          { iteration: 20, accuracy: 0.6 },
        ],
      },
      live,
      'run-0',
    );
    expect(t.validation.map((p) => p.iteration)).toEqual([10, 20]);
    expect(t.bestValidation).toBe(0.6);
    expect(live.get(0)).toMatchObject({ worker: 'w2', iteration: 20 });
  });
});
