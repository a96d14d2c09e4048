/**
 * What the OS should know about training, decided from the service's events alone: the
 * taskbar/dock progress, whether the machine may sleep, and whether to notify the person when
 * a long run or sweep ends while they look elsewhere. Pure (events in, actions out, no
 * Electron), so every path is unit-tested; run-integration.ts carries the actions out.
 * A sweep is one activity from its first event to its end: one sleep blocker and one progress
 * bar across all its trials, whose own runs start and end inside it.
 */
import type { RunFailedEvent, RunFinishedEvent, StudioEvent } from '../../common/api';
import type { SweepEvent } from '../../common/sweep';

/** Only runs and sweeps that took longer than this are worth a notification. */
export const NOTIFY_AFTER_MS = 60_000;
/** Progress changes smaller than this (a tenth of a percent) are not sent to the taskbar. */
const PROGRESS_STEP = 0.001;
/** A notification's body is a sentence or two, not a whole crash report. */
const MAX_REASON_CHARS = 180;

/** What the adapter does. `fraction` is 0–1. */
export type RunAction =
  | { type: 'setProgress'; fraction: number }
  | { type: 'clearProgress' }
  | { type: 'startBlocker' }
  | { type: 'stopBlocker' }
  | { type: 'notify'; title: string; body: string };

/** What the adapter knows at the moment an event arrives. */
export interface ActivityContext {
  nowMs: number;
  isWindowFocused: boolean;
}

interface RunState {
  kind: 'run';
  runId: string;
  startedAtMs: number;
}

interface SweepActivity {
  kind: 'sweep';
  sweepId: string;
  startedAtMs: number;
  trialCount: number;
  finished: number;
  /** The trial run training now, and how far it is (0–1). */
  currentRunId: string | null;
  trialFraction: number;
}

type Activity = RunState | SweepActivity;

/** Follows at most one run or sweep at a time; `observe` returns what to do about each event. */
export class RunActivity {
  #activity: Activity | null = null;
  #shownFraction: number | null = null;

  /** True while a run or sweep holds the sleep blocker. */
  get isActive(): boolean {
    return this.#activity !== null;
  }

  observe(event: StudioEvent, context: ActivityContext): RunAction[] {
    switch (event.type) {
      case 'started':
        return this.#onStarted(event.runId, event.resumedFrom ? event.resumedFrom.iteration / event.totalIterations : 0, context);
      case 'progress':
        return this.#onProgress(event.runId, event.iteration / event.totalIterations);
      case 'done':
      case 'error':
        return this.#onRunEnd(event, context);
      case 'sweep':
        return event.status === 'running' ? this.#onSweepRunning(event, context) : this.#onSweepEnd(event, context);
      default:
        return [];
    }
  }

  /** The app quits: let the machine sleep again and clear the taskbar; no notification. */
  quit(): RunAction[] {
    return this.#activity ? this.#end(null) : [];
  }

  #onStarted(runId: string, fraction: number, context: ActivityContext): RunAction[] {
    const activity = this.#activity;
    if (activity?.kind === 'sweep') {
      Object.assign(activity, { currentRunId: runId, trialFraction: fraction });
      return this.#progress(sweepFraction(activity));
    }
    if (activity?.kind === 'run') {
      activity.runId = runId; // a run that replaced one whose end never came: the blocker is already held
      return this.#progress(fraction);
    }
    this.#activity = { kind: 'run', runId, startedAtMs: context.nowMs };
    return [{ type: 'startBlocker' }, ...this.#progress(fraction)];
  }

  #onProgress(runId: string, fraction: number): RunAction[] {
    const activity = this.#activity;
    if (activity?.kind === 'run' && activity.runId === runId) return this.#progress(fraction);
    if (activity?.kind === 'sweep' && (activity.currentRunId === runId || activity.currentRunId === null)) {
      Object.assign(activity, { currentRunId: runId, trialFraction: fraction });
      return this.#progress(sweepFraction(activity));
    }
    return [];
  }

  /** A run's end ends a plain run; a sweep's trial ending is followed by the sweep's own event. */
  #onRunEnd(event: RunFinishedEvent | RunFailedEvent, context: ActivityContext): RunAction[] {
    const activity = this.#activity;
    if (activity?.kind !== 'run' || (event.runId !== activity.runId && event.runId !== null)) return [];
    const isLong = context.nowMs - activity.startedAtMs > NOTIFY_AFTER_MS;
    return this.#end(isLong && !context.isWindowFocused ? runNotice(activity.runId, event) : null);
  }

  #onSweepRunning(event: SweepEvent, context: ActivityContext): RunAction[] {
    const activity = this.#activity;
    if (activity?.kind === 'sweep' && activity.sweepId === event.sweepId) {
      if (event.currentRunId !== activity.currentRunId) Object.assign(activity, { currentRunId: event.currentRunId, trialFraction: 0 });
      Object.assign(activity, { trialCount: event.trialCount, finished: event.finished });
      return this.#progress(sweepFraction(activity));
    }
    // A run already going (its sweep's first event came late) becomes the sweep's trial: same blocker, same start.
    const actions: RunAction[] = activity ? [] : [{ type: 'startBlocker' }];
    const sweep: SweepActivity = {
      kind: 'sweep',
      sweepId: event.sweepId,
      startedAtMs: activity?.startedAtMs ?? context.nowMs,
      trialCount: event.trialCount,
      finished: event.finished,
      currentRunId: event.currentRunId ?? (activity?.kind === 'run' ? activity.runId : null),
      trialFraction: 0,
    };
    this.#activity = sweep;
    return [...actions, ...this.#progress(sweepFraction(sweep))];
  }

  #onSweepEnd(event: SweepEvent, context: ActivityContext): RunAction[] {
    const activity = this.#activity;
    if (activity?.kind !== 'sweep' || activity.sweepId !== event.sweepId) return [];
    const isLong = context.nowMs - activity.startedAtMs > NOTIFY_AFTER_MS;
    return this.#end(isLong && !context.isWindowFocused ? sweepNotice(event) : null);
  }

  #end(notice: { title: string; body: string } | null): RunAction[] {
    this.#activity = null;
    this.#shownFraction = null;
    const actions: RunAction[] = [{ type: 'clearProgress' }, { type: 'stopBlocker' }];
    return notice ? [...actions, { type: 'notify', ...notice }] : actions;
  }

  /** A setProgress when the bar would visibly move. */
  #progress(fraction: number): RunAction[] {
    const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
    if (this.#shownFraction !== null && Math.abs(clamped - this.#shownFraction) < PROGRESS_STEP) return [];
    this.#shownFraction = clamped;
    return [{ type: 'setProgress', fraction: clamped }];
  }
}

function sweepFraction(sweep: SweepActivity): number {
  return sweep.trialCount > 0 ? (sweep.finished + (sweep.currentRunId ? sweep.trialFraction : 0)) / sweep.trialCount : 0;
}

function runNotice(runId: string, event: RunFinishedEvent | RunFailedEvent): { title: string; body: string } {
  if (event.type === 'error') return { title: 'Training failed', body: `Run ${runId} failed: ${shortened(event.message)}` };
  const accuracy = event.test.count > 0 ? `${(event.test.accuracy * 100).toFixed(1)} % test accuracy` : null;
  if (event.stopped) {
    const after = `stopped after ${event.iterations} iterations`;
    return { title: 'Training stopped', body: `Run ${runId} ${after}${accuracy ? `: ${accuracy}` : ''}.` };
  }
  return { title: 'Training finished', body: `Run ${runId} finished: ${accuracy ?? `${event.iterations} iterations`}.` };
}

function sweepNotice(event: SweepEvent): { title: string; body: string } {
  const trials = `${event.finished} of ${event.trialCount} trials`;
  switch (event.status) {
    case 'done':
      return { title: 'Sweep finished', body: `Sweep '${event.name}' finished: ${trials}.` };
    case 'stopped':
      return { title: 'Sweep stopped', body: `Sweep '${event.name}' stopped after ${trials}.` };
    default: {
      const reason = event.problem ? ` ${shortened(event.problem)}` : ' The trainer could not go on; resume it from the Sweeps view.';
      return { title: 'Sweep interrupted', body: `Sweep '${event.name}' was interrupted after ${trials}.${reason}` };
    }
  }
}

function shortened(text: string): string {
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text;
}
