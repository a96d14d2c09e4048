/**
 * The sweep half of the StudioApi: preview, start, resume, stop, list, load and delete sweeps.
 * The service owns one of these and delegates to it; the trials themselves run through the
 * service's own run machinery (SweepTrainer), so a trial is trained, checkpointed and saved
 * exactly as a run started from the form, or, for a plan with `queue`, on workers through
 * BullMQ on Redis (main/queue/owner.ts), each imported here as a saved run when it finishes.
 */
import { existsSync } from 'node:fs';
import { StudioError } from '../../common/errors';
import { totalIterations } from '../../common/hyperparams';
import { isTrialEnded } from '../../common/sweep';
import type { SweepEvent, SweepListing, SweepPlan, SweepPreview, SweepState, SweepTrial } from '../../common/sweep';
import { expandPlan, rungFractions, rungIterations } from '../../common/sweep-plan';
import type { Hyperparams, RunSummary, StudioEvent } from '../../common/api';
import { SweepStore } from '../store/sweep-store';
import type { RunStore } from '../store/store';
import { probeRedis, redisTarget } from '../queue/connection';
import { newNamespace, QUEUE_NAME } from '../queue/names';
import { QueueSweepRunner } from '../queue/owner';
import { DEFAULT_FLOPS_PER_MS, estimateTrialMs, machineRate } from './sweep-estimate';
import { SweepRunner } from './sweep-runner';
import type { SweepTrainer } from './sweep-runner';
import { consoleLogger } from './logger';
import type { Logger } from './logger';

export interface SweepsOptions {
  sweepsDir: string;
  trainer: SweepTrainer;
  /** The saved runs, whose wall times calibrate the estimates. */
  listRuns(): Promise<RunSummary[]>;
  emit(event: SweepEvent): void;
  now(): Date;
  /** Where a sweep on workers' finished trials are imported. */
  runStore: RunStore;
  /** A sweep on workers: how often every trial's job is re-read, ms (default 5,000). */
  queueReconcileMs?: number;
  /** Where a sweep that had to stop on its own says why, with the stack; default the console. */
  logger?: Logger;
}

/** Trials shown in a preview. */
const PREVIEW_SAMPLE = 8;

export class Sweeps {
  readonly store: SweepStore;
  readonly runner: SweepRunner;
  /** The sweep on workers this service follows, if any. */
  readonly queueRunner: QueueSweepRunner;
  /** flops per ms from the saved runs; refreshed at each preview and start. */
  #rate = DEFAULT_FLOPS_PER_MS;
  #rateBasis = 'the classic model’s speed on a 2-core build machine, as no run is saved here yet';

  constructor(private readonly options: SweepsOptions) {
    this.store = new SweepStore(options.sweepsDir);
    this.runner = new SweepRunner({
      store: this.store,
      trainer: options.trainer,
      emit: options.emit,
      logger: options.logger,
      estimateMs: (trial, state) => this.#estimate(trial.hyperparams, state.plan),
    });
    this.queueRunner = new QueueSweepRunner({
      store: this.store,
      runStore: options.runStore,
      emit: options.emit,
      estimateMs: (trial, state) => this.#estimate(trial.hyperparams, state.plan),
      warn: (message) => (options.logger ?? consoleLogger).warn(message),
      ...(options.queueReconcileMs ? { reconcileMs: options.queueReconcileMs } : {}),
    });
  }

  get activeSweepId(): string | null {
    return this.runner.activeSweepId ?? this.queueRunner.activeSweepId;
  }

  get status(): SweepEvent | null {
    return this.runner.status ?? this.queueRunner.status;
  }

  observe(event: StudioEvent): void {
    this.runner.observe(event);
  }

  async preview(plan: SweepPlan): Promise<SweepPreview> {
    const expansion = expandOrThrow(plan);
    await this.#calibrate();
    const estimateMs = expansion.trials.reduce((sum, t) => sum + this.#estimate(t.hyperparams, plan), 0);
    return {
      configCount: expansion.configs.length,
      trialCount: expansion.trials.length,
      sample: expansion.trials.slice(0, PREVIEW_SAMPLE).map((t) => t.hyperparams),
      rungIterations: rungIterations(totalIterations(plan.base, plan.trainLimit), plan.base.validationInterval, plan.earlyStopping),
      estimateMs: Math.round(estimateMs),
      estimateBasis: this.#rateBasis,
    };
  }

  /**
   * Expands and saves the plan, then runs it in the background: here, or with `plan.queue` on
   * workers, once Redis has answered (an unreachable Redis is refused before anything is saved).
   */
  async start(plan: SweepPlan): Promise<{ sweepId: string }> {
    if (this.activeSweepId) throw new StudioError('busy', `Sweep ${this.activeSweepId} is running: stop it first.`);
    const { queue, ...localPlan } = plan;
    const target = queue ? redisTarget(queue.url) : null;
    if (target) await probeRedis(target);
    const expansion = expandOrThrow(localPlan);
    await this.#calibrate();
    const sweepId = this.#newSweepId();
    const trials: SweepTrial[] = expansion.trials.map((t, index) => ({
      index,
      configIndex: t.configIndex,
      hyperparams: t.hyperparams,
      status: 'pending',
      runId: null,
      rungScores: [],
      iterations: 0,
      totalIterations: totalIterations(t.hyperparams, plan.trainLimit),
      bestValidation: null,
      finalValidation: null,
      testAccuracy: null,
      wallMs: 0,
      validation: [],
      error: null,
    }));
    const state: SweepState = {
      formatVersion: 1,
      sweepId,
      name: plan.name?.trim() || `Sweep of ${expansion.varied.length > 0 ? expansion.varied.join(', ') : 'seeds'}`,
      createdAt: this.options.now().toISOString(),
      plan: localPlan,
      varied: expansion.varied,
      rungs: rungFractions(plan.earlyStopping),
      status: 'running',
      trials,
      ...(target ? { queue: { url: target.redacted, queueName: QUEUE_NAME, namespace: newNamespace(sweepId) } } : {}),
    };
    if (queue) await this.queueRunner.follow(state, queue.url, () => this.store.saveQueueUrl(sweepId, queue.url));
    else await this.runner.run(state);
    return { sweepId };
  }

  async resume(sweepId: string): Promise<{ sweepId: string }> {
    const state = await this.store.load(sweepId);
    if (state.trials.every(isTrialEnded)) {
      throw new StudioError('invalid-input', `Sweep ${sweepId} has no unfinished trial left to run.`);
    }
    await this.#calibrate();
    if (state.queue) await this.queueRunner.follow(state, await this.store.loadQueueUrl(sweepId));
    else await this.runner.run(state);
    return { sweepId };
  }

  stop(): void {
    this.runner.stop();
    this.queueRunner.stop();
  }

  /**
   * Picks up the newest sweep on workers that the last session left running (the studio was
   * closed mid-sweep): the workers went on meanwhile, and the results they left are imported.
   * A Redis that cannot be reached leaves it interrupted, to be resumed by hand; never throws.
   */
  async reattach(): Promise<string | null> {
    const listing = await this.store.list().catch(() => null);
    const candidates = (listing?.sweeps ?? []).filter((s) => s.status === 'running');
    for (const summary of candidates) {
      const state = await this.store.load(summary.sweepId).catch(() => null);
      if (!state?.queue || this.activeSweepId) continue;
      try {
        await this.queueRunner.follow(state, await this.store.loadQueueUrl(state.sweepId));
        return state.sweepId;
      } catch (err) {
        (this.options.logger ?? consoleLogger).warn(
          `Sweep ${state.sweepId} runs on workers but could not be reattached: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return null;
  }

  /** Lets go of a sweep on workers without stopping it (the service is closing); the local runner stops with its worker. */
  async dispose(): Promise<void> {
    await this.queueRunner.detach();
  }

  /** A sweep the file says is running but this service is not running was cut short: interrupted. */
  async list(): Promise<SweepListing> {
    const listing = await this.store.list();
    for (const sweep of listing.sweeps)
      if (sweep.status === 'running' && sweep.sweepId !== this.activeSweepId) sweep.status = 'interrupted';
    return listing;
  }

  async load(sweepId: string): Promise<SweepState> {
    const state = await this.store.load(sweepId);
    if (state.status === 'running' && sweepId !== this.activeSweepId) state.status = 'interrupted';
    return state;
  }

  async delete(sweepId: string): Promise<void> {
    if (sweepId === this.activeSweepId) throw new StudioError('busy', `Sweep ${sweepId} is running: stop it before deleting it.`);
    await this.store.delete(sweepId);
  }

  #estimate(hyperparams: Hyperparams, plan: SweepPlan): number {
    return estimateTrialMs({ hyperparams, trainLimit: plan.trainLimit, testLimit: plan.testLimit }, this.#rate);
  }

  async #calibrate(): Promise<void> {
    const runs = await this.options.listRuns().catch(() => []);
    const rate = machineRate(runs);
    if (rate === null) return;
    this.#rate = rate;
    this.#rateBasis = `the speed of the ${runs.length} run${runs.length === 1 ? '' : 's'} saved on this machine`;
  }

  /** `sweep-2026-12-02T01-40-12`, UTC so ids sort by time; a suffix keeps them unique. */
  #newSweepId(): string {
    const base = `sweep-${this.options.now().toISOString().slice(0, 19).replace(/:/g, '-')}`;
    let sweepId = base;
    for (let n = 2; existsSync(this.store.fileOf(sweepId)); n++) sweepId = `${base}-${n}`;
    return sweepId;
  }
}

function expandOrThrow(plan: SweepPlan): Extract<ReturnType<typeof expandPlan>, { ok: true }> {
  const expansion = expandPlan(plan);
  if (!expansion.ok) throw new StudioError('invalid-input', expansion.problems.join(' '));
  return expansion;
}
