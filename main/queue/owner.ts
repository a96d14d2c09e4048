/**
 * The studio's side of a sweep on workers: enqueues each unfinished trial as a BullMQ job (its
 * full start request), follows the queue's events (a worker took it, its throttled progress, it
 * finished, failed, stalled), makes the early-stopping decisions from the reported validation
 * scores and writes them where the worker looks, imports each finished run after checking it
 * (import-result.ts), and keeps the sweep's file up to date after every change, as the local
 * runner does. Every trial's job is also re-read every few seconds, so that an event lost while
 * Redis restarted, or while the studio was closed, is caught up: on the next start the studio
 * reattaches (`attach`) and goes on importing.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { StudioError } from '../../common/errors';
import type { RedisTarget } from '../../common/redis-url';
import { scrubSecret } from '../../common/redis-url';
import { isTrialEnded } from '../../common/sweep';
import type { SweepEvent, SweepState, SweepTrial, TrialLive } from '../../common/sweep';
import type { RunStore } from '../store/store';
import type { SweepStore } from '../store/sweep-store';
import { sweepEvent, trialRequest } from '../service/sweep-trials';
import { TrialReportSchema, TrialReturnSchema } from './codec';
import type { TrialJob } from './codec';
import { probeRedis, redisClient, redisTarget } from './connection';
import { BULL_PREFIX, checkpointKey, jobIdOf, KEY_TTL_SECONDS, QUEUE_NAME, resultKey, runIdOf, stopKey, trialOfJob } from './names';
import { applyReport, onWorkers } from './owner-reports';
import { settleFinishedJob } from './owner-results';

export interface QueueRunnerOptions {
  store: SweepStore;
  /** Where finished trials are imported. */
  runStore: RunStore;
  emit(event: SweepEvent): void;
  estimateMs(trial: SweepTrial, state: SweepState): number;
  /** A problem worth a line in the log (Redis dropped, a result refused); never holds the password. */
  warn(message: string): void;
  /** How often every unfinished trial's job is re-read; default 5 s. */
  reconcileMs?: number;
  /** Least time between two sweep events that carry only progress; default 250 ms. */
  progressEventMs?: number;
}

/** A job's retries for failures other than a worker dying (those are BullMQ's stalled check's). */
const JOB_ATTEMPTS = 3;
const RETRY_DELAY_MS = 2_000;

interface Connection {
  target: RedisTarget;
  queue: Queue;
  events: QueueEvents;
  keys: Redis;
  clients: Redis[];
}

/** The one sweep on workers a service follows at a time. */
export class QueueSweepRunner {
  #state: SweepState | null = null;
  #conn: Connection | null = null;
  readonly #live = new Map<number, TrialLive>();
  /** Trials whose job is gone from Redis for good (imported, failed, removed): not re-read. */
  readonly #settled = new Set<number>();
  #isStopRequested = false;
  #serial: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | null = null;
  #progressTimer: ReturnType<typeof setTimeout> | null = null;
  #lastEvent: SweepEvent | null = null;
  #ended: Promise<void> = Promise.resolve();
  #endSweep: () => void = () => undefined;

  constructor(private readonly options: QueueRunnerOptions) {}

  get activeSweepId(): string | null {
    return this.#state?.sweepId ?? null;
  }

  /** The latest event of the sweep followed, for a window that opens mid-sweep. */
  get status(): SweepEvent | null {
    return this.#state ? this.#lastEvent : null;
  }

  /** Resolves when the sweep followed (if any) has ended or been detached. */
  settled(): Promise<void> {
    return this.#ended;
  }

  /**
   * Follows `state` on the Redis at `url`: checks Redis answers (else 'queue-unreachable', and
   * nothing is saved or enqueued), calls `beforeSave`, saves the state as running, then enqueues
   * every unfinished trial that has no job yet and follows them all. New sweeps, resumed ones and
   * ones reattached after the studio closed all come this way.
   */
  async follow(state: SweepState, url: string, beforeSave: () => Promise<void> = async () => undefined): Promise<void> {
    if (this.#state) throw new StudioError('busy', `Sweep ${this.#state.sweepId} is running: stop it first.`);
    if (!state.queue) throw new StudioError('internal', `Sweep ${state.sweepId} is not a sweep on workers.`);
    const target = redisTarget(url);
    await probeRedis(target);
    await beforeSave();
    this.#state = state;
    this.#isStopRequested = false;
    this.#live.clear();
    this.#settled.clear();
    this.#ended = new Promise((resolve) => (this.#endSweep = resolve));
    state.status = 'running';
    try {
      this.#conn = await this.#connect(target);
      await this.#save();
    } catch (err) {
      await this.#release();
      throw err;
    }
    this.#timer = setInterval(() => this.#enqueue(() => this.#reconcile()), this.options.reconcileMs ?? 5_000);
    this.#enqueue(() => this.#reconcile());
  }

  /** The person's stop: waiting trials leave the queue, running ones stop within a batch and are imported as stopped. */
  stop(): void {
    if (!this.#state) return;
    this.#isStopRequested = true;
    this.#enqueue(async () => {
      const state = this.#requireState();
      for (const trial of state.trials.filter((t) => t.status === 'pending' || t.status === 'running'))
        await this.#withdraw(trial, 'stopped');
      await this.#finishIfDone();
    });
  }

  /** Lets go of the sweep without changing it (the studio is closing): the workers go on, and `follow` picks it up again. */
  async detach(): Promise<void> {
    if (!this.#state) return;
    await this.#serial;
    await this.#release();
  }

  async #connect(target: RedisTarget): Promise<Connection> {
    const report = (message: string) => this.options.warn(`Redis (${target.redacted}): ${message}`);
    const clients = [
      redisClient(target, 'owner-queue', report),
      redisClient(target, 'owner-events', report),
      redisClient(target, 'owner-keys', report),
    ];
    const [queueClient, eventsClient, keys] = clients;
    const queue = new Queue(QUEUE_NAME, { connection: queueClient, prefix: BULL_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsClient, prefix: BULL_PREFIX });
    const onError = (err: Error) => report(scrubSecret(err.message, target.password));
    queue.on('error', onError);
    events.on('error', onError);
    events.on('progress', ({ jobId, data }) => this.#enqueue(() => this.#onReport(jobId, data)));
    for (const name of ['active', 'completed', 'failed', 'waiting', 'removed'] as const) {
      events.on(name, ({ jobId }: { jobId: string }) => this.#enqueue(() => this.#refreshJob(jobId)));
    }
    events.on('stalled', ({ jobId }) => this.#enqueue(() => this.#onStalled(jobId)));
    // Back from a dropped connection: what happened meanwhile is read from the jobs themselves.
    keys.on('ready', () => this.#enqueue(() => this.#reconcile()));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return { target, queue, events, keys, clients };
  }

  /** Runs `task` after the ones before it: events, reconciles and stops never interleave. */
  #enqueue(task: () => Promise<void>): void {
    this.#serial = this.#serial.then(async () => {
      if (!this.#state || !this.#conn) return; // events that come while connecting are caught up by the first reconcile
      try {
        await task();
      } catch (err) {
        this.options.warn(`Sweep ${this.#state?.sweepId ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  /** Re-reads every trial whose job may still be in Redis, and enqueues the unfinished ones that have none. */
  async #reconcile(): Promise<void> {
    const state = this.#requireState();
    for (const trial of state.trials) if (!this.#settled.has(trial.index)) await this.#refreshTrial(trial);
    await this.#finishIfDone();
  }

  async #refreshJob(jobId: string): Promise<void> {
    const trial = this.#trialOf(jobId);
    if (trial) await this.#refreshTrial(trial);
    await this.#finishIfDone();
  }

  /** Brings one trial in line with its job: imports it, fails it, marks it running or waiting, or enqueues it. */
  async #refreshTrial(trial: SweepTrial): Promise<void> {
    const { queue } = this.#requireConn();
    const state = this.#requireState();
    const jobId = jobIdOf(state.queue?.namespace ?? '', trial.index);
    // The state first, then the job: a job read first can finish before its state is asked, and
    // would then look completed with no return value yet. A finished job no longer changes.
    const jobState = await queue.getJobState(jobId);
    const job = jobState === 'unknown' ? undefined : ((await queue.getJob(jobId)) as Job<unknown, unknown> | undefined);
    if (!job) {
      if (trial.status === 'running' || (trial.status === 'pending' && !this.#isStopRequested)) return this.#add(trial);
      this.#settled.add(trial.index);
      return;
    }
    if (jobState === 'completed' || jobState === 'failed') {
      const changed = await settleFinishedJob(
        {
          trial,
          state,
          job,
          jobState,
          keys: this.#requireConn().keys,
          runStore: this.options.runStore,
          isStopRequested: this.#isStopRequested,
        },
        (message) => this.options.warn(message),
      );
      if (!changed) return; // not imported this time (a disk problem): the next reconcile tries again
      this.#live.delete(trial.index);
      await this.#save();
      await this.#forget(jobId, job);
      this.#settled.add(trial.index);
    } else if (jobState === 'active' && trial.status === 'pending') {
      Object.assign(trial, { status: 'running', runId: runIdOf(state.queue?.namespace ?? '', trial) });
      const queueInfo = onWorkers(trial);
      Object.assign(queueInfo, {
        worker: job.processedBy ?? queueInfo.worker,
        attempts: Math.max(queueInfo.attempts, job.attemptsStarted),
      });
      await this.#save();
    } else if (jobState !== 'active' && trial.status === 'running') {
      // Back in the queue: its worker died, was cut off, or handed it back.
      onWorkers(trial).retryReason ??= job.failedReason || 'its worker stopped with it';
      trial.status = 'pending';
      this.#live.delete(trial.index);
      await this.#save();
    }
  }

  async #onStalled(jobId: string): Promise<void> {
    const trial = this.#trialOf(jobId);
    if (!trial) return;
    const queueInfo = onWorkers(trial);
    queueInfo.retryReason = `${queueInfo.worker ?? 'its worker'} stopped answering (killed, or cut off from Redis); handed to another worker`;
    await this.#refreshTrial(trial);
    await this.#save();
  }

  async #onReport(jobId: string, data: unknown): Promise<void> {
    const trial = this.#trialOf(jobId);
    const parsed = TrialReportSchema.safeParse(data);
    if (!trial) return;
    if (!parsed.success) return this.options.warn(`A worker's report on trial ${trial.index + 1} was not understood; ignored.`);
    const state = this.#requireState();
    const runId = runIdOf(state.queue?.namespace ?? '', trial);
    const effect = applyReport(state, trial, parsed.data, this.#live, runId);
    for (const pruned of effect.pruned) await this.#withdraw(pruned, 'pruned');
    if (effect.isStateChanged) await this.#save();
    else this.#emitProgress();
  }

  /** Takes a trial off the queue: a waiting job is removed, a running one is told to stop (its partial run is still imported). */
  async #withdraw(trial: SweepTrial, reason: 'pruned' | 'stopped'): Promise<void> {
    const { queue, keys } = this.#requireConn();
    const jobId = jobIdOf(this.#requireState().queue?.namespace ?? '', trial.index);
    if (trial.status === 'pending' || (reason === 'pruned' && trial.runId === null)) {
      if ((await queue.remove(jobId)) === 1 || !(await queue.getJob(jobId))) {
        this.#settled.add(trial.index);
        await this.#forget(jobId);
        return;
      }
    }
    await keys.set(stopKey(jobId), reason, 'EX', KEY_TTL_SECONDS);
  }

  async #add(trial: SweepTrial): Promise<void> {
    const state = this.#requireState();
    const namespace = state.queue?.namespace ?? '';
    const data: TrialJob = {
      format: 1,
      sweepId: state.sweepId,
      namespace,
      trial: trial.index,
      runId: runIdOf(namespace, trial),
      label: `trial ${trial.index + 1}/${state.trials.length} of “${state.name}”`,
      request: trialRequest(trial, state),
    };
    const jobId = jobIdOf(namespace, trial.index);
    await this.#requireConn().queue.add('trial', data, {
      jobId,
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'fixed', delay: RETRY_DELAY_MS },
      removeOnComplete: false,
      removeOnFail: false,
    });
    if (trial.status === 'running') Object.assign(trial, { status: 'pending' });
    this.#settled.delete(trial.index);
  }

  /** Removes what the trial left in Redis: its job and this app's keys beside it (a stray upload expires on its own). */
  async #forget(jobId: string, job?: Job<unknown, unknown>): Promise<void> {
    const { queue, keys } = this.#requireConn();
    const returned = TrialReturnSchema.safeParse(job?.returnvalue);
    await queue.remove(jobId);
    const result = returned.success && returned.data.outcome === 'trained' ? [resultKey(jobId, returned.data.sha256)] : [];
    await keys.del(stopKey(jobId), checkpointKey(jobId), ...result);
  }

  /**
   * Ends the sweep once every trial's job is settled (imported, failed or withdrawn, so nothing
   * more will come from a worker) and, unless the person stopped it, every trial has ended.
   */
  async #finishIfDone(): Promise<void> {
    const state = this.#state;
    if (!state || !state.trials.every((t) => this.#settled.has(t.index))) return;
    const isUnfinished = state.trials.some((t) => !isTrialEnded(t));
    if (isUnfinished && !this.#isStopRequested) return;
    state.status = isUnfinished ? 'stopped' : 'done';
    await this.#save();
    await this.#release();
  }

  async #save(): Promise<void> {
    const state = this.#requireState();
    try {
      await this.options.store.save(state);
    } finally {
      this.#emit(false);
    }
  }

  #emitProgress(): void {
    if (this.#progressTimer) return;
    this.#progressTimer = setTimeout(() => {
      this.#progressTimer = null;
      this.#emit(true);
    }, this.options.progressEventMs ?? 250);
  }

  #emit(isProgressOnly: boolean): void {
    const state = this.#state;
    if (!state) return;
    const running = state.trials.filter((t) => t.status === 'running');
    const live = running.flatMap((t) => this.#live.get(t.index) ?? []);
    const event = sweepEvent(state, running[0] ?? null, (t) => this.options.estimateMs(t, state), Math.max(1, running.length));
    this.#lastEvent = {
      ...event,
      queue: { url: state.queue?.url ?? '', running: live, waiting: state.trials.filter((t) => t.status === 'pending').length },
      ...(isProgressOnly ? { isProgressOnly } : {}),
    };
    this.options.emit(this.#lastEvent);
  }

  /** Closes the connections and lets go of the state. */
  async #release(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
    this.#timer = null;
    this.#progressTimer = null;
    const conn = this.#conn;
    this.#conn = null;
    this.#state = null;
    if (conn) {
      await Promise.allSettled([conn.events.close(), conn.queue.close()]);
      for (const client of conn.clients) client.disconnect();
    }
    this.#endSweep();
  }

  #trialOf(jobId: string): SweepTrial | null {
    const state = this.#state;
    const index = state?.queue ? trialOfJob(state.queue.namespace, jobId) : null;
    return index === null ? null : (state?.trials[index] ?? null);
  }

  #requireState(): SweepState {
    if (!this.#state) throw new StudioError('internal', 'No sweep on workers is being followed.');
    return this.#state;
  }

  #requireConn(): Connection {
    if (!this.#conn) throw new StudioError('internal', 'Not connected to the queue.');
    return this.#conn;
  }
}
