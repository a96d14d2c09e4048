/**
 * Sweeps as the renderer sees them: the saved ones (and the files that could not be read), the
 * one in progress from its SweepEvents, the opened one's full state, and starting, stopping,
 * resuming and deleting. A sweep's trials are ordinary runs: their progress and charts are the
 * training state's (state/training.svelte.ts); this module follows the sweep around them.
 */
import type { SweepEvent, SweepListing, SweepPlan, SweepState, SweepSummary } from '../../../common/sweep';
import { isResumable } from '../lib/sweep-wording';
import { alerts } from './alerts.svelte';
import { runs } from './runs.svelte';
import { studio } from './studio.svelte';

/** Where this window's sweep session is. */
export type SweepPhase = 'idle' | 'starting' | 'running' | 'stopping';

const DISMISSED_KEY = 'lstm-studio:dismissed-sweeps';

function restoreDismissed(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

class Sweeps {
  /** Newest first. */
  list = $state.raw<SweepSummary[]>([]);
  damaged = $state.raw<SweepListing['damaged']>([]);
  hasLoaded = $state(false);
  isLoading = $state(false);
  /** Full states by sweep id; replaced, never mutated. */
  states = $state.raw<Record<string, SweepState>>({});
  openId = $state<string | null>(null);
  /** The sweep in progress as its latest event tells it; null when none runs. */
  live = $state.raw<SweepEvent | null>(null);
  phase = $state<SweepPhase>('idle');
  /** Sweeps whose resume offer the person dismissed; remembered, so the banner does not nag. */
  dismissedIds = $state.raw<string[]>(restoreDismissed());
  isBusy = $derived(this.phase !== 'idle');
  opened = $derived(this.openId ? (this.states[this.openId] ?? null) : null);
  /** Interrupted or stopped sweeps with trials left, not dismissed and not the one running. */
  resumable = $derived(
    this.list.filter((s) => isResumable(s) && !this.dismissedIds.includes(s.sweepId) && s.sweepId !== this.live?.sweepId),
  );
  #unsubscribe: (() => void) | null = null;
  /** The latest loadSweep asked for, per sweep: an older answer arriving late is dropped. */
  #loads = new Map<string, number>();

  /** Subscribes to the bridge's events and lists the saved sweeps; later calls do nothing. */
  connect(): void {
    if (this.#unsubscribe || !studio.bridge) return;
    this.#unsubscribe = studio.bridge.onEvent((event) => {
      if (event.type === 'sweep') this.#onSweep(event);
      else if (event.type === 'worker-restarted') void this.refresh();
    });
    void this.refresh();
  }

  /** Picks up a sweep already in progress (the window opened, or reloaded, mid-sweep: `getStatus().sweep`). */
  adopt(event: SweepEvent | null): void {
    if (event && !this.live) this.#onSweep(event);
  }

  /** A sweep's name as people see it, for messages and the Runs view's badges. */
  labelOf(sweepId: string): string {
    return this.list.find((s) => s.sweepId === sweepId)?.name || this.states[sweepId]?.name || sweepId;
  }

  /** Re-reads the saved sweeps. */
  async refresh(): Promise<void> {
    if (!studio.bridge) return;
    this.isLoading = true;
    try {
      const listing = await studio.bridge.listSweeps();
      this.list = [...listing.sweeps].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      this.damaged = listing.damaged;
      if (this.openId && !this.list.some((s) => s.sweepId === this.openId)) this.openId = null;
    } catch (error) {
      alerts.error(error, 'Could not list the saved sweeps');
    } finally {
      this.isLoading = false;
      this.hasLoaded = true;
    }
  }

  /** Loads a sweep's full state into `states`; false (with an alert) on failure. */
  async load(sweepId: string): Promise<boolean> {
    if (!studio.bridge) return false;
    const ticket = (this.#loads.get(sweepId) ?? 0) + 1;
    this.#loads.set(sweepId, ticket);
    try {
      const state = await studio.bridge.loadSweep({ sweepId });
      if (this.#loads.get(sweepId) === ticket) this.states = { ...this.states, [sweepId]: state };
      return true;
    } catch (error) {
      alerts.error(error, `Could not load sweep “${this.labelOf(sweepId)}”`);
      return false;
    }
  }

  /** Shows a sweep's results (null closes them). */
  open(sweepId: string | null): void {
    this.openId = sweepId;
    if (sweepId) void this.load(sweepId);
  }

  /** Starts a sweep and opens it; its events move the phase on. */
  async start(plan: SweepPlan): Promise<void> {
    await this.#begin((bridge) => bridge.startSweep(plan), 'Could not start the sweep');
  }

  /** Continues an interrupted or stopped sweep with its next unfinished trial. */
  async resume(sweepId: string): Promise<void> {
    await this.#begin((bridge) => bridge.resumeSweep({ sweepId }), `Could not resume sweep “${this.labelOf(sweepId)}”`);
  }

  async #begin(call: (bridge: NonNullable<typeof studio.bridge>) => Promise<{ sweepId: string }>, failure: string): Promise<void> {
    if (!studio.bridge || this.isBusy) return;
    this.phase = 'starting';
    try {
      const { sweepId } = await call(studio.bridge);
      if (this.phase === 'starting') this.phase = 'running'; // unless its events have moved it on already
      this.open(sweepId);
      void this.refresh();
    } catch (error) {
      this.phase = 'idle';
      alerts.error(error, failure);
    }
  }

  /** Stops the sweep: the current trial stops within a batch and is saved; a `stopped` event follows. */
  async stop(): Promise<void> {
    if (!studio.bridge || (this.phase !== 'running' && this.phase !== 'starting')) return;
    this.phase = 'stopping';
    try {
      await studio.bridge.stopSweep();
    } catch (error) {
      alerts.error(error, 'Could not stop the sweep');
      await studio.refreshStatus();
      if (!studio.status?.sweep) {
        this.#finish();
        void this.refresh();
      }
    }
  }

  /** Deletes a saved sweep (its trials' runs stay in the Runs view) and refreshes the list. */
  async remove(sweepId: string): Promise<void> {
    if (!studio.bridge) return;
    const label = this.labelOf(sweepId);
    if (this.openId === sweepId) this.openId = null;
    try {
      await studio.bridge.deleteSweep({ sweepId });
      const { [sweepId]: _removed, ...rest } = this.states;
      this.states = rest;
    } catch (error) {
      alerts.error(error, `Could not delete sweep “${label}”`);
    }
    await this.refresh();
  }

  /** Hides a sweep's resume offer for good (it can still be resumed from the list). */
  dismiss(sweepId: string): void {
    this.dismissedIds = [...this.dismissedIds.filter((id) => id !== sweepId), sweepId];
    try {
      localStorage.setItem(DISMISSED_KEY, JSON.stringify(this.dismissedIds));
    } catch {
      // Unavailable storage: the offer comes back next time, which is harmless.
    }
  }

  /**
   * A sweep's state changed (rare: a trial starts or ends, a rung decides): re-read it whole. A
   * sweep on workers also sends its running trials' progress a few times a second: that only
   * replaces `live`, as nothing in the sweep's file changed.
   */
  #onSweep(event: SweepEvent): void {
    if (event.isProgressOnly && event.status === 'running' && this.live?.sweepId === event.sweepId) {
      this.live = event;
      return;
    }
    const wasLive = this.live?.sweepId === event.sweepId;
    if (event.status === 'running') {
      this.live = event;
      if (this.phase !== 'stopping') this.phase = 'running';
      this.openId ??= event.sweepId;
    } else {
      if (wasLive || this.live === null) this.#finish();
      if (wasLive && event.status === 'done' && studio.view !== 'sweeps') {
        alerts.notice('Sweep finished', `“${event.name}” ran all ${event.trialCount} trials. Its results are in the Sweeps view.`, {
          isGlobal: true,
        });
      }
      void runs.refresh();
    }
    void this.load(event.sweepId);
    void this.refresh(); // its count of finished trials, or its status, has changed
  }

  #finish(): void {
    this.live = null;
    this.phase = 'idle';
  }
}

/** The sweeps' shared state. */
export const sweeps = new Sweeps();
