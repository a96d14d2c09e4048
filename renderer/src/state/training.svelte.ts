/**
 * The training session as the renderer sees it: one subscription to the bridge's events, the
 * phase (idle → starting → training → stopping → idle), the latest progress, the finished
 * run's result, and the live curves (kept outside Svelte state; see lib/series.ts).
 */
import type {
  BridgeEvent,
  LiveRun,
  MetricPoint,
  ProgressEvent,
  ResumableRun,
  RunFinishedEvent,
  RunStartedEvent,
  StartRequestInput,
  WireError,
} from '../../../common/api';
import { LiveSeries } from '../lib/series';
import { alerts } from './alerts.svelte';
import { runs } from './runs.svelte';
import { studio } from './studio.svelte';

/** Where the session is. */
export type Phase = 'idle' | 'starting' | 'training' | 'stopping';

class Training {
  phase = $state<Phase>('idle');
  runId = $state<string | null>(null);
  started = $state.raw<RunStartedEvent | null>(null);
  progress = $state.raw<ProgressEvent | null>(null);
  result = $state.raw<RunFinishedEvent | null>(null);
  /** The latest validation score of this run, if one was reported. */
  lastValidation = $state.raw<MetricPoint | null>(null);
  /** The error that ended the last run, shown in the Train view as well as in the alerts. */
  failure = $state.raw<WireError | null>(null);
  isBusy = $derived(this.phase !== 'idle');
  /** Iterations the run will take, once main has said. */
  totalIterations = $derived(this.progress?.totalIterations ?? this.started?.totalIterations ?? null);
  /** Runs interrupted (app closed, crash) after a checkpoint, which can be continued. */
  resumable = $state.raw<ResumableRun[]>([]);
  /** The live curves of the current (or last) run. */
  readonly series = new LiveSeries();
  #unsubscribe: (() => void) | null = null;

  /** Subscribes to the bridge's events; later calls do nothing. */
  connect(): void {
    if (this.#unsubscribe || !studio.bridge) return;
    this.#unsubscribe = studio.bridge.onEvent((event) => this.handle(event));
    void this.refreshResumable();
  }

  /**
   * Picks up a run already in progress (the window was reloaded, or opened, mid-run), with its
   * curves from the start when main sends them (`getStatus().live`).
   */
  adopt(runId: string | null, live: LiveRun | null = null): void {
    if (!runId || (this.phase !== 'idle' && this.runId !== runId)) return;
    this.phase = 'training';
    this.runId = runId;
    // A progress event may have adopted the run a moment before getStatus() answered: fill in the rest.
    if (live?.started.runId !== runId || this.started) return;
    this.started = live.started;
    this.progress = live.progress;
    this.lastValidation = live.history.validation.at(-1) ?? null;
    this.series.replace(live.history);
  }

  /** Deletes the finished run on screen (one stopped before it got going) and clears its result. */
  async discardResult(): Promise<void> {
    const runId = this.result?.runId;
    if (!runId || this.isBusy) return;
    await runs.remove(runId);
    if (this.result?.runId !== runId || runs.list.some((r) => r.runId === runId)) return; // kept: the delete failed
    this.result = null;
    this.progress = null;
    this.series.reset();
  }

  /** Re-reads the interrupted runs (after a run ends, and at start-up). */
  async refreshResumable(): Promise<void> {
    try {
      this.resumable = (await studio.bridge?.listResumable()) ?? [];
    } catch (error) {
      alerts.error(error, 'Could not list interrupted runs');
    }
  }

  /** Starts a run; the `started` event moves the phase on. */
  async start(request: StartRequestInput): Promise<void> {
    await this.#begin((bridge) => bridge.startTraining(request), 'Could not start training');
  }

  /** Continues an interrupted run from its checkpoint. */
  async resume(runId: string): Promise<void> {
    await this.#begin((bridge) => bridge.resumeTraining({ runId }), 'Could not resume the run');
    void this.refreshResumable();
  }

  async #begin(call: (bridge: NonNullable<typeof studio.bridge>) => Promise<{ runId: string }>, failure: string): Promise<void> {
    if (!studio.bridge || this.isBusy) return;
    this.phase = 'starting';
    this.runId = null;
    this.started = null;
    this.progress = null;
    this.result = null;
    this.failure = null;
    this.lastValidation = null;
    this.series.reset();
    try {
      const { runId } = await call(studio.bridge);
      // Events may overtake the reply: only fill in what they have not already set.
      this.runId ??= runId;
    } catch (error) {
      this.phase = 'idle';
      alerts.error(error, failure);
    }
  }

  /** Asks main to stop; the run is saved and a `done` event with `stopped: true` follows. */
  async stop(): Promise<void> {
    if (!studio.bridge || (this.phase !== 'training' && this.phase !== 'starting')) return;
    this.phase = 'stopping';
    try {
      await studio.bridge.stopTraining();
    } catch (error) {
      alerts.error(error, 'Could not stop training');
      await studio.refreshStatus();
      if (!studio.status?.isTraining) this.phase = 'idle';
    }
  }

  /** Applies one event from main (menu commands are state/menu-commands.ts's). */
  handle(event: BridgeEvent): void {
    switch (event.type) {
      case 'started':
        this.phase = 'training';
        this.runId = event.runId;
        this.started = event;
        // A sweep's next trial starts by this event alone (no start() cleared the last trial's progress).
        this.progress = null;
        this.result = null;
        this.failure = null;
        this.lastValidation = null;
        this.series.reset();
        // A resumed run brings its curves up to the checkpoint.
        if (event.resumedFrom) this.series.replace(event.resumedFrom.history);
        void studio.refreshStatus(); // the backend is known for sure once a run has started
        break;
      case 'progress':
        this.#onProgress(event);
        break;
      case 'done':
        void this.#onDone(event);
        break;
      case 'error':
        // Only one run trains at a time and an error event means it failed, whatever its id
        // (it may arrive before startTraining() has even returned the id).
        this.phase = 'idle';
        this.failure = { code: event.code, message: event.message };
        // The Train view shows the failure in place; elsewhere an alert says so.
        if (studio.view !== 'train') alerts.error({ code: event.code, message: event.message }, undefined, { isGlobal: true });
        // A diverged run keeps its curves on screen, up to and including the batch that blew up.
        if (event.history) this.series.replace(event.history);
        void this.refreshResumable(); // a crashed run may now be resumable
        break;
      case 'worker-restarted':
        this.phase = 'idle';
        alerts.notice('The training worker was restarted', event.reason, { isGlobal: true });
        void studio.refreshStatus();
        void this.refreshResumable();
        break;
    }
  }

  #onProgress(event: ProgressEvent): void {
    if (this.result?.runId === event.runId) return; // a straggler from a run that has finished
    // …or from the run before this one: a sweep starts its next trial at once, and a late report of
    // the last trial would put its iteration on this trial's curves (which then ignore every earlier point).
    if (this.phase === 'training' && this.runId !== null && event.runId !== this.runId) return;
    if (this.phase === 'idle') this.adopt(event.runId);
    this.runId ??= event.runId;
    this.progress = event;
    if (event.validation) this.lastValidation = { iteration: event.iteration, ...event.validation };
    this.series.add(event);
  }

  async #onDone(event: RunFinishedEvent): Promise<void> {
    this.phase = 'idle';
    this.result = event;
    void runs.refresh();
    void this.refreshResumable();
    void studio.refreshDataset(); // the first run parses and caches MNIST
    // Progress is relayed coalesced, so the live curves may miss points; the saved history is complete.
    const record = await runs.load(event.runId, true);
    if (record && this.result === event) this.series.replace(record.history);
  }
}

/** The training session's shared state. */
export const training = new Training();
