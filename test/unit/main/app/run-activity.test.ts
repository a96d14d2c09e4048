import { describe, expect, it } from 'vitest';
import { NOTIFY_AFTER_MS, RunActivity } from '../../../../main/app/run-activity';
import type { ActivityContext, RunAction } from '../../../../main/app/run-activity';
import type { RunFailedEvent, RunFinishedEvent, StudioEvent } from '../../../../common/api';
import type { SweepEvent } from '../../../../common/sweep';
import { done, EMPTY_TEST, progress, started } from '../service/events';

const LONG_MS = NOTIFY_AFTER_MS + 1;
const away = (nowMs: number): ActivityContext => ({ nowMs, isWindowFocused: false });
const looking = (nowMs: number): ActivityContext => ({ nowMs, isWindowFocused: true });

function finished(runId: string, accuracy: number, overrides: Partial<RunFinishedEvent> = {}): RunFinishedEvent {
  return { ...done(runId), test: { ...EMPTY_TEST, count: 10_000, accuracy }, ...overrides };
}

function failed(runId: string | null, message: string): RunFailedEvent {
  return { type: 'error', runId, code: 'worker-crashed', message };
}

function sweep(overrides: Partial<SweepEvent> = {}): SweepEvent {
  return {
    type: 'sweep',
    sweepId: 'sweep-1',
    name: 'units',
    status: 'running',
    trialCount: 4,
    finished: 0,
    currentTrial: null,
    currentRunId: null,
    remainingAfterCurrentMs: 0,
    problem: null,
    ...overrides,
  };
}

/** Feeds events in order (each at its own time) and returns every action, in order. */
function play(activity: RunActivity, steps: [StudioEvent, ActivityContext][]): RunAction[] {
  return steps.flatMap(([event, context]) => activity.observe(event, context));
}

const count = (actions: RunAction[], type: RunAction['type']) => actions.filter((a) => a.type === type).length;

describe('RunActivity', () => {
  describe('a run', () => {
    it('start → progress → end: blocks sleep, shows the fraction, then clears both', () => {
      const activity = new RunActivity();
      expect(activity.observe(started('r1'), away(0))).toEqual([{ type: 'startBlocker' }, { type: 'setProgress', fraction: 0 }]);
      expect(activity.isActive).toBe(true);
      expect(activity.observe(progress(250, 'r1'), away(1))).toEqual([{ type: 'setProgress', fraction: 0.25 }]);
      expect(activity.observe(progress(500, 'r1'), away(2))).toEqual([{ type: 'setProgress', fraction: 0.5 }]);
      expect(activity.observe(finished('r1', 0.981), away(3))).toEqual([{ type: 'clearProgress' }, { type: 'stopBlocker' }]);
      expect(activity.isActive).toBe(false);
    });

    it('leaves out progress too small to move the bar', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      expect(activity.observe(progress(500, 'r1'), away(1))).toHaveLength(1);
      expect(activity.observe(progress(500, 'r1'), away(2))).toEqual([]);
      expect(activity.observe({ ...progress(5005, 'r1'), totalIterations: 10_000 }, away(3))).toEqual([]);
    });

    it('starts a resumed run at the fraction it resumes from', () => {
      const activity = new RunActivity();
      const resumed = { ...started('r1'), resumedFrom: { iteration: 400, history: { train: [], validation: [] } } };
      expect(activity.observe(resumed, away(0))).toEqual([{ type: 'startBlocker' }, { type: 'setProgress', fraction: 0.4 }]);
    });

    it('ignores progress and ends of other runs', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      expect(activity.observe(progress(100, 'other'), away(1))).toEqual([]);
      expect(activity.observe(done('other'), away(2))).toEqual([]);
      expect(activity.isActive).toBe(true);
    });

    it('does nothing for progress or an end while idle', () => {
      const activity = new RunActivity();
      expect(
        play(activity, [
          [progress(1, 'r1'), away(0)],
          [failed('r1', 'busy'), away(1)],
          [done('r1'), away(2)],
        ]),
      ).toEqual([]);
      expect(activity.quit()).toEqual([]);
    });

    it('notifies when a run longer than a minute finishes while the window is not focused', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      expect(activity.observe(finished('r1', 0.9812), away(LONG_MS))).toEqual([
        { type: 'clearProgress' },
        { type: 'stopBlocker' },
        { type: 'notify', title: 'Training finished', body: 'Run r1 finished: 98.1 % test accuracy.' },
      ]);
    });

    it('does not notify for a short run, nor while the window is focused', () => {
      const short = new RunActivity();
      short.observe(started('r1'), away(0));
      expect(count(short.observe(finished('r1', 0.9), away(NOTIFY_AFTER_MS)), 'notify')).toBe(0);
      const watched = new RunActivity();
      watched.observe(started('r1'), away(0));
      expect(count(watched.observe(finished('r1', 0.9), looking(LONG_MS)), 'notify')).toBe(0);
    });

    it('on failure: clears the bar, releases the blocker and says why', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      const actions = activity.observe(failed('r1', 'The trainer crashed: out of memory.'), away(LONG_MS));
      expect(actions).toEqual([
        { type: 'clearProgress' },
        { type: 'stopBlocker' },
        { type: 'notify', title: 'Training failed', body: 'Run r1 failed: The trainer crashed: out of memory.' },
      ]);
    });

    it('cuts a long failure message short', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      const notify = activity.observe(failed('r1', 'x'.repeat(1000)), away(LONG_MS)).find((a) => a.type === 'notify');
      expect(notify && notify.type === 'notify' && notify.body.length).toBeLessThan(220);
    });

    it('ends the run when the trainer gives up (an error without a run id)', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      expect(count(activity.observe(failed(null, 'crashed 6 times'), away(1)), 'stopBlocker')).toBe(1);
    });

    it('on stop: releases the blocker once and says it stopped, with the accuracy of the partial run', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      activity.observe(progress(300, 'r1'), away(1));
      const actions = activity.observe(finished('r1', 0.95, { stopped: true, iterations: 300 }), away(LONG_MS));
      expect(count(actions, 'stopBlocker')).toBe(1);
      expect(actions.at(-1)).toEqual({
        type: 'notify',
        title: 'Training stopped',
        body: 'Run r1 stopped after 300 iterations: 95.0 % test accuracy.',
      });
    });

    it('says the iteration count when the run scored no test images', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      expect(activity.observe(done('r1'), away(LONG_MS)).at(-1)).toMatchObject({ body: 'Run r1 finished: 1000 iterations.' });
    });

    it('on quit: releases the blocker and clears the bar without a notification, once', () => {
      const activity = new RunActivity();
      activity.observe(started('r1'), away(0));
      expect(activity.quit()).toEqual([{ type: 'clearProgress' }, { type: 'stopBlocker' }]);
      expect(activity.quit()).toEqual([]);
      expect(activity.observe(done('r1'), away(LONG_MS))).toEqual([]);
    });

    it('keeps one blocker when a second start arrives before the first run ended', () => {
      const activity = new RunActivity();
      const actions = play(activity, [
        [started('r1'), away(0)],
        [started('r2'), away(1)],
        [done('r2'), away(2)],
      ]);
      expect(count(actions, 'startBlocker')).toBe(1);
      expect(count(actions, 'stopBlocker')).toBe(1);
    });
  });

  describe('a sweep', () => {
    const trial = (runId: string, finishedTrials: number): [StudioEvent, ActivityContext][] => [
      [sweep({ finished: finishedTrials, currentTrial: finishedTrials, currentRunId: runId }), away(10)],
      [started(runId), away(11)],
      [progress(500, runId), away(12)],
      [done(runId), away(13)],
      [sweep({ finished: finishedTrials + 1 }), away(14)],
    ];

    it('keeps one blocker for all its trials, and shows trials done plus the current one', () => {
      const activity = new RunActivity();
      const actions = play(activity, [[sweep(), away(0)], ...trial('t1', 0), ...trial('t2', 1), ...trial('t3', 2), ...trial('t4', 3)]);
      expect(count(actions, 'startBlocker')).toBe(1);
      expect(count(actions, 'stopBlocker')).toBe(0);
      expect(activity.isActive).toBe(true);
      const fractions = actions.flatMap((a) => (a.type === 'setProgress' ? [a.fraction] : []));
      expect(fractions).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b)); // never backwards between trials
      const end = activity.observe(sweep({ status: 'done', finished: 4 }), away(20));
      expect(end).toEqual([{ type: 'clearProgress' }, { type: 'stopBlocker' }]);
      expect(activity.isActive).toBe(false);
    });

    it('notifies at the end of a long sweep with how it ended', () => {
      const done = new RunActivity();
      play(done, [[sweep(), away(0)], ...trial('t1', 0)]);
      expect(done.observe(sweep({ status: 'done', finished: 4 }), away(LONG_MS)).at(-1)).toEqual({
        type: 'notify',
        title: 'Sweep finished',
        body: "Sweep 'units' finished: 4 of 4 trials.",
      });
      const stopped = new RunActivity();
      stopped.observe(sweep(), away(0));
      expect(stopped.observe(sweep({ status: 'stopped', finished: 1 }), away(LONG_MS)).at(-1)).toMatchObject({
        title: 'Sweep stopped',
        body: "Sweep 'units' stopped after 1 of 4 trials.",
      });
      const broken = new RunActivity();
      broken.observe(sweep(), away(0));
      const problem = 'The sweep stopped: disk full. Resume it once that is fixed.';
      expect(broken.observe(sweep({ status: 'interrupted', finished: 2, problem }), away(LONG_MS)).at(-1)).toMatchObject({
        title: 'Sweep interrupted',
        body: `Sweep 'units' was interrupted after 2 of 4 trials. ${problem}`,
      });
    });

    it('does not notify about each trial, only about the sweep', () => {
      const activity = new RunActivity();
      const actions = play(activity, [
        [sweep(), away(0)],
        [sweep({ currentRunId: 't1' }), away(1)],
        [started('t1'), away(2)],
        [finished('t1', 0.97), away(LONG_MS)],
      ]);
      expect(count(actions, 'notify')).toBe(0);
    });

    it('stays one activity through a trial that failed and a trainer that gave up, until the sweep says it ended', () => {
      const activity = new RunActivity();
      const actions = play(activity, [
        [sweep({ currentRunId: 't1' }), away(0)],
        [started('t1'), away(1)],
        [failed('t1', 'crashed'), away(2)],
        [failed(null, 'gave up'), away(3)],
      ]);
      expect(count(actions, 'stopBlocker')).toBe(0);
      expect(count(activity.observe(sweep({ status: 'interrupted', finished: 1 }), away(4)), 'stopBlocker')).toBe(1);
    });

    it('takes over a run that started before the sweep said it was running, without a second blocker', () => {
      const activity = new RunActivity();
      const actions = play(activity, [
        [started('t1'), away(0)],
        [sweep({ currentRunId: 't1' }), away(1)],
        [done('t1'), away(2)],
      ]);
      expect(count(actions, 'startBlocker')).toBe(1);
      expect(count(actions, 'stopBlocker')).toBe(0);
      expect(count(activity.observe(sweep({ status: 'done', finished: 4 }), away(LONG_MS)), 'notify')).toBe(1);
    });

    it("ignores another sweep's end and a sweep that ends while idle", () => {
      const activity = new RunActivity();
      expect(activity.observe(sweep({ status: 'done' }), away(0))).toEqual([]);
      activity.observe(sweep(), away(0));
      expect(activity.observe(sweep({ sweepId: 'sweep-2', status: 'done' }), away(1))).toEqual([]);
      expect(activity.isActive).toBe(true);
    });

    it('on quit mid-sweep: releases the blocker once', () => {
      const activity = new RunActivity();
      play(activity, [[sweep(), away(0)], ...trial('t1', 0)]);
      expect(count(activity.quit(), 'stopBlocker')).toBe(1);
      expect(activity.quit()).toEqual([]);
    });
  });

  it('ignores worker restarts', () => {
    const activity = new RunActivity();
    activity.observe(started('r1'), away(0));
    expect(activity.observe({ type: 'worker-restarted', reason: 'crash' }, away(1))).toEqual([]);
  });
});
