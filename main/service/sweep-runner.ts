/**
 * Runs a sweep's trials one after another on the trainer, each an ordinary run tagged with the
 * sweep, and keeps the sweep's state on disk after every change (trial started, validation
 * score, rung decision, trial ended), so that a sweep survives the app closing or crashing:
 * `resume` continues with the next unfinished trial, the interrupted one from its checkpoint.
 * Early stopping is ASHA (asha.ts), decided here from the validation scores the trials report.
 * Knows nothing of Electron or the transport; the service feeds it the trainer's events.
 */
import { StudioError } from '../../common/errors';
import type { ProgressEvent, ResumableRun, RunRecord, RunRef, StartRequest, StudioEvent } from '../../common/api';
import { isTrialEnded } from '../../common/sweep';
import type { SweepEvent, SweepState, SweepTrial } from '../../common/sweep';
import { Deferred } from './deferred';
import { applyOutcome, sweepEvent, takeValidation, trialRequest, updateScores } from './sweep-trials';
import { consoleLogger } from './logger';
import type { Logger } from './logger';
import type { SweepStore } from '../store/sweep-store';

/** How the runner trains: the service's run machinery, without its "a sweep is running" guard. */
export interface SweepTrainer {
  /** Starts a run; its id is known at once, so no event of it can be missed. */
  beginRun(request: StartRequest): { runId: string; started: Promise<void> };
  resumeRun(request: RunRef): Promise<void>;
  /** Stops the run in progress (it ends with `done`, stopped: true, and is saved). */
  stopRun(): void;
  listResumable(): Promise<ResumableRun[]>;
  loadRun(request: RunRef): Promise<RunRecord>;
}

export interface SweepRunnerOptions {
  store: SweepStore;
  trainer: SweepTrainer;
  emit(event: SweepEvent): void;
  /** A trial's estimated wall time, ms (sweep-estimate.ts, at this machine's rate). */
  estimateMs(trial: SweepTrial, state: SweepState): number;
  logger?: Logger;
}

type RunEnd = Extract<StudioEvent, { type: 'done' | 'error' }>;

/** The one sweep a service runs at a time. */
export class SweepRunner {
  #state: SweepState | null = null;
  #isStopRequested = false;
  /** The run of the trial in progress, and how it ended once it has. */
  #runId: string | null = null;
  #end: Deferred<RunEnd> | null = null;
  #lastEvent: SweepEvent | null = null;
  #loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: SweepRunnerOptions) {}

  /** The sweep in progress, or null. */
  get activeSweepId(): string | null {
    return this.#state?.sweepId ?? null;
  }

  /** The latest event of the sweep in progress, for a window that opens mid-sweep. */
  get status(): SweepEvent | null {
    return this.#state ? this.#lastEvent : null;
  }

  /** Saves `state` and runs its unfinished trials in the background; resolves once it is saved. */
  async run(state: SweepState): Promise<void> {
    if (this.#state) throw new StudioError('busy', `Sweep ${this.#state.sweepId} is running: stop it first.`);
    this.#state = state;
    this.#isStopRequested = false;
    state.status = 'running';
    try {
      await this.#save();
    } catch (err) {
      this.#state = null;
      throw err;
    }
    this.#loop = this.#runTrials().catch((err: unknown) => this.#abandon(err));
  }

  /** Stops the sweep: the current trial stops within a batch; what finished stays. */
  stop(): void {
    if (!this.#state) return;
    this.#isStopRequested = true;
    if (this.#runId) this.options.trainer.stopRun();
  }

  /** Resolves when the sweep in progress (if any) has ended. */
  settled(): Promise<void> {
    return this.#loop;
  }

  /** Takes every event the trainer sends, before coalescing. */
  observe(event: StudioEvent): void {
    if (!this.#state || this.#runId === null) return;
    if (event.type === 'progress' && event.runId === this.#runId && event.validation) this.#onValidation(event);
    else if (event.type === 'started' && event.runId === this.#runId) this.#onStarted(event);
    else if ((event.type === 'done' || event.type === 'error') && (event.runId === this.#runId || event.runId === null))
      this.#end?.resolve(event);
  }

  async #runTrials(): Promise<void> {
    const state = this.#requireState();
    for (const trial of state.trials) {
      if (isTrialEnded(trial)) continue;
      if (this.#isStopRequested) break;
      const end = await this.#runTrial(trial);
      if (end?.type === 'error' && end.runId === null) {
        // The trainer gave up after repeated crashes: nothing can train now; resume later.
        return this.#finish('interrupted');
      }
    }
    return this.#finish(this.#isStopRequested && state.trials.some((t) => !isTrialEnded(t)) ? 'stopped' : 'done');
  }

  /** One trial from start (or its checkpoint) to its end; null when it was finished already. */
  async #runTrial(trial: SweepTrial): Promise<RunEnd | null> {
    const state = this.#requireState();
    this.#end = new Deferred<RunEnd>();
    if (trial.status === 'running' && trial.runId && (await this.#continueTrial(trial))) return null;
    if (trial.status !== 'running' || !this.#runId) {
      const { runId, started } = this.options.trainer.beginRun(trialRequest(trial, state));
      this.#runId = runId;
      Object.assign(trial, { status: 'running', runId, rungScores: [], validation: [], bestValidation: null, finalValidation: null });
      await this.#save();
      await started.catch((err: unknown) => this.#end?.resolve(errorEnd(runId, err)));
    }
    const end = await this.#end.promise;
    this.#runId = null;
    if (end.type === 'error') Object.assign(trial, { status: 'failed', error: end.message });
    else applyOutcome(trial, { ...end, testAccuracy: end.test.count > 0 ? end.test.accuracy : null });
    await this.#save();
    return end;
  }

  /**
   * A trial the last session left running: from its checkpoint if it has one, taken from its
   * saved run if it finished before the sweep's file caught up; else it starts again.
   * True when there is nothing left to train.
   */
  async #continueTrial(trial: SweepTrial): Promise<boolean> {
    const runId = trial.runId as string;
    const resumable = await this.options.trainer.listResumable();
    if (resumable.some((r) => r.runId === runId)) {
      this.#runId = runId;
      await this.options.trainer.resumeRun({ runId }).catch((err: unknown) => this.#end?.resolve(errorEnd(runId, err)));
      return false;
    }
    const record = await this.options.trainer.loadRun({ runId }).catch(() => null);
    if (!record) return false; // neither checkpoint nor run: it starts again
    trial.validation = record.history.validation.map(({ iteration, accuracy }) => ({ iteration, accuracy }));
    updateScores(trial);
    applyOutcome(trial, {
      stopped: record.stopped,
      iterations: record.iterations,
      elapsedMs: record.elapsedMs,
      testAccuracy: record.testAccuracy,
    });
    await this.#save();
    return true;
  }

  #onStarted(event: Extract<StudioEvent, { type: 'started' }>): void {
    const trial = this.#currentTrial();
    if (!trial) return;
    // A stop asked for while the worker was still starting found no run to stop: stop it now.
    if (this.#isStopRequested) this.options.trainer.stopRun();
    trial.totalIterations = event.totalIterations;
    if (event.resumedFrom) {
      trial.validation = event.resumedFrom.history.validation.map(({ iteration, accuracy }) => ({ iteration, accuracy }));
      updateScores(trial);
    }
    this.#emit();
  }

  #onValidation(event: ProgressEvent): void {
    const state = this.#requireState();
    const trial = this.#currentTrial();
    if (!trial || !event.validation) return;
    const pruned = takeValidation(trial, state, { iteration: event.iteration, accuracy: event.validation.accuracy });
    if (pruned.length > 0) this.options.trainer.stopRun();
    void this.#save().catch(() => undefined); // a failed save surfaces at the trial's end, which saves again
  }

  async #finish(status: SweepState['status']): Promise<void> {
    const state = this.#requireState();
    state.status = status;
    await this.#save(); // a failure here reaches #abandon with the state still set
    this.#state = null;
    this.#runId = null;
  }

  /** A failure outside any trial (the disk refused the sweep's file): the sweep stops, resumable. */
  async #abandon(err: unknown): Promise<void> {
    const state = this.#state;
    this.#state = null;
    this.#runId = null;
    if (!state) return;
    this.options.trainer.stopRun(); // nothing trains unwatched: its results could not be recorded
    state.status = 'interrupted';
    const reason = err instanceof Error ? err.message : String(err);
    this.options.emit({ ...this.#eventOf(state), problem: `The sweep stopped: ${reason} Resume it once that is fixed.` });
    (this.options.logger ?? consoleLogger).error(`Sweep ${state.sweepId} stopped:`, err);
  }

  /** Writes the state, then tells the front ends (which read it back on the event). */
  async #save(): Promise<void> {
    const state = this.#requireState();
    try {
      await this.options.store.save(state);
    } finally {
      this.#emit();
    }
  }

  #emit(): void {
    const state = this.#state;
    if (!state) return;
    this.#lastEvent = this.#eventOf(state);
    this.options.emit(this.#lastEvent);
  }

  #eventOf(state: SweepState): SweepEvent {
    return sweepEvent(state, this.#currentTrial(), (t) => this.options.estimateMs(t, state));
  }

  #currentTrial(): SweepTrial | null {
    return this.#runId === null ? null : (this.#state?.trials.find((t) => t.runId === this.#runId && t.status !== 'done') ?? null);
  }

  #requireState(): SweepState {
    if (!this.#state) throw new StudioError('internal', 'No sweep is running.');
    return this.#state;
  }
}

function errorEnd(runId: string, err: unknown): RunEnd {
  const code = err instanceof StudioError ? err.code : 'internal';
  return { type: 'error', runId, code, message: err instanceof Error ? err.message : String(err) };
}
