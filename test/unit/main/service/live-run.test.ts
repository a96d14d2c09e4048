import { describe, expect, it } from 'vitest';
import { LiveRunTracker } from '../../../../main/service/live-run';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import type { ProgressEvent, RunStartedEvent } from '../../../../common/api';

const started = (runId: string, extra: Partial<RunStartedEvent> = {}): RunStartedEvent => ({
  type: 'started',
  runId,
  totalIterations: 100,
  backend: 'cpu',
  hyperparams: DEFAULT_HYPERPARAMS,
  seed: 1,
  ...extra,
});
const progress = (runId: string, iteration: number, validation?: { loss: number; accuracy: number }): ProgressEvent => ({
  type: 'progress',
  runId,
  iteration,
  totalIterations: 100,
  epoch: 0,
  loss: 1 / iteration,
  accuracy: iteration / 100,
  samplesPerSec: 1000,
  elapsedMs: iteration * 10,
  etaMs: (100 - iteration) * 10,
  ...(validation ? { validation } : {}),
});

describe('LiveRunTracker', () => {
  it('keeps what a saved history keeps: batch metrics every 10 iterations and every validation score', () => {
    const tracker = new LiveRunTracker();
    tracker.observe(started('r'));
    for (const it of [10, 20, 25, 30]) tracker.observe(progress('r', it, it % 25 === 0 ? { loss: 0.5, accuracy: 0.8 } : undefined));
    const live = tracker.snapshot()!;
    expect(live.history.train.map((p) => p.iteration)).toEqual([10, 20, 30]);
    expect(live.history.validation).toEqual([{ iteration: 25, loss: 0.5, accuracy: 0.8 }]);
    expect(live.progress?.iteration).toBe(30);
    expect(live.started.runId).toBe('r');
  });

  it('starts a resumed run from the curves of its checkpoint', () => {
    const tracker = new LiveRunTracker();
    const history = { train: [{ iteration: 10, loss: 2, accuracy: 0.1 }], validation: [] };
    tracker.observe(started('r', { resumedFrom: { iteration: 10, history } }));
    tracker.observe(progress('r', 20));
    expect(tracker.snapshot()!.history.train.map((p) => p.iteration)).toEqual([10, 20]);
    expect(history.train).toHaveLength(1); // the event's own copy is left alone
  });

  it('forgets the run when it ends, fails or the worker restarts, and ignores another run\u2019s progress', () => {
    const tracker = new LiveRunTracker();
    expect(tracker.snapshot()).toBeNull();
    tracker.observe(started('r'));
    tracker.observe(progress('other', 10));
    expect(tracker.snapshot()!.progress).toBeNull();
    tracker.observe({ type: 'worker-restarted', reason: 'x' });
    expect(tracker.snapshot()).toBeNull();
  });

  it('hands out copies that callers cannot change', () => {
    const tracker = new LiveRunTracker();
    tracker.observe(started('r'));
    tracker.observe(progress('r', 10));
    tracker.snapshot()!.history.train.length = 0;
    expect(tracker.snapshot()!.history.train).toHaveLength(1);
  });
});
