/**
 * Progress coalescing between the trainer and the window. The worker may report every few
 * milliseconds; sending each one over IPC and redrawing charts for it would flood the
 * renderer. Per run, at most `maxPerSecond` progress events go out (latest wins, with a
 * trailing send so the last one always arrives); every other event is delivered in order,
 * after any progress still held back, and is never dropped. Progress that carries a validation
 * score counts as such an event: it is a chart point of its own, and a validation pass over
 * 5,000 images already limits how often one comes.
 */
import type { ProgressEvent, StudioEvent } from '../../common/api';

/** The clock and timers the coalescer uses; injectable so tests control time. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time. */
export const SYSTEM_TIMERS: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CoalescerOptions {
  /** Progress events per second per run; 20 by default (docs/ARCHITECTURE.md, "A training run"). */
  maxPerSecond?: number;
  timers?: Timers;
}

interface RunState {
  /** When this run's last progress was delivered, in `timers.now()` units (ms). */
  lastSentMs: number;
  /** The newest progress not yet delivered. */
  pending: ProgressEvent | null;
  timer: unknown;
}

/** Rate-limits progress events per run; see the module comment for the guarantees. */
export class EventCoalescer {
  private readonly intervalMs: number;
  private readonly timers: Timers;
  /** Insertion order is the order pending progress is flushed in. */
  private readonly runs = new Map<string, RunState>();
  private isDisposed = false;

  constructor(
    private readonly deliver: (event: StudioEvent) => void,
    options: CoalescerOptions = {},
  ) {
    this.intervalMs = 1000 / (options.maxPerSecond ?? 20);
    this.timers = options.timers ?? SYSTEM_TIMERS;
  }

  /** Accepts one event; delivers it now, later (progress only) or replaces a held one. */
  push(event: StudioEvent): void {
    if (this.isDisposed) return;
    if (event.type === 'progress' && !event.validation) {
      this.pushProgress(event);
      return;
    }
    // Anything else marks a boundary: the progress before it must arrive before it.
    this.flush();
    if (event.type === 'done' || event.type === 'error') this.forget(event.runId);
    if (event.type === 'progress') this.stateFor(event.runId).lastSentMs = this.timers.now();
    this.deliver(event);
  }

  /** Delivers every held progress event now, oldest run first. */
  flush(): void {
    for (const [runId, state] of this.runs) this.sendPending(runId, state);
  }

  /** Drops held events and cancels timers; later pushes are ignored. */
  dispose(): void {
    for (const state of this.runs.values()) this.cancelTimer(state);
    this.runs.clear();
    this.isDisposed = true;
  }

  private pushProgress(event: ProgressEvent): void {
    const state = this.stateFor(event.runId);
    const now = this.timers.now();
    if (state.pending === null && now - state.lastSentMs >= this.intervalMs) {
      state.lastSentMs = now;
      this.deliver(event);
      return;
    }
    state.pending = event; // latest wins
    if (state.timer === null) {
      const waitMs = Math.max(0, state.lastSentMs + this.intervalMs - now);
      state.timer = this.timers.setTimeout(() => {
        state.timer = null;
        this.sendPending(event.runId, state);
      }, waitMs);
    }
  }

  private sendPending(runId: string, state: RunState): void {
    this.cancelTimer(state);
    const pending = state.pending;
    if (pending === null || this.runs.get(runId) !== state) return;
    state.pending = null;
    state.lastSentMs = this.timers.now();
    this.deliver(pending);
  }

  private stateFor(runId: string): RunState {
    let state = this.runs.get(runId);
    if (!state) {
      state = { lastSentMs: Number.NEGATIVE_INFINITY, pending: null, timer: null };
      this.runs.set(runId, state);
    }
    return state;
  }

  /** A finished run keeps no timer or state behind. */
  private forget(runId: string | null): void {
    if (runId === null) return;
    const state = this.runs.get(runId);
    if (state) this.cancelTimer(state);
    this.runs.delete(runId);
  }

  private cancelTimer(state: RunState): void {
    if (state.timer !== null) this.timers.clearTimeout(state.timer);
    state.timer = null;
  }
}
