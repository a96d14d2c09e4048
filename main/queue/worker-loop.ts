/**
 * The worker's side of a sweep on workers: a BullMQ Worker that takes one trial at a time and
 * trains it on this machine's trainer, exactly as a run started here would be trained. While it
 * trains it reports progress through the job (throttled; validation scores always, since the
 * owner judges rungs on them), uploads each new checkpoint beside the job so another worker can
 * resume the trial if this one dies, and checks between reports whether the owner has written
 * a stop decision. A finished run goes up gzipped under the job's result key; the return value
 * names it and its checksum. Closing hands the trial in progress back to the queue at once.
 */
import { rm } from 'node:fs/promises';
import { UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BackendName, RunRecord, StartRequest, StudioEvent } from '../../common/api';
import type { RedisTarget } from '../../common/redis-url';
import { readCheckpointFile, readCheckpointState, writeCheckpointFiles } from '../store/checkpoint-files';
import { RunStore } from '../store/store';
import { describeIssue } from '../store/store-schema';
import { decodeCheckpoint, encodeCheckpoint, encodeResult, sha256Of, TrialJobSchema } from './codec';
import type { TrialJob, TrialReport, TrialReturn } from './codec';
import { redisClient } from './connection';
import { checkpointKey, KEY_TTL_SECONDS, QUEUE_NAME, resultKey, stopKey } from './names';

/** What the worker trains with: the CLI's service's trainer host. */
export interface TrialTrainer {
  backend: BackendName;
  start(runId: string, request: StartRequest): Promise<void>;
  resume(runId: string): Promise<void>;
  /** Stops the run in progress; it still ends with `done` (stopped: true). */
  stop(): void;
  onEvent(callback: (event: StudioEvent) => void): () => void;
}

/** BullMQ's timings; the defaults are BullMQ's own, tests shorten them. */
export interface WorkerTimings {
  /** A trial's lock lasts this long without renewal: a killed worker's trial goes to another after about this. */
  lockMs: number;
  /** How often this worker looks for trials whose worker stopped renewing their lock. */
  stalledMs: number;
  /** Least time between two progress reports without a validation score. */
  progressMs: number;
}

export const DEFAULT_WORKER_TIMINGS: WorkerTimings = { lockMs: 30_000, stalledMs: 30_000, progressMs: 500 };
/** A trial whose worker died this many times (or more) mid-trial fails instead of being handed out again. */
const MAX_STALLS = 3;
const CHECKPOINT_FILES = ['state.json', 'model.json', 'weights.bin', 'optimizer.bin'] as const;
/** Failures that another try would only repeat: the trial fails at once instead of being retried. */
const FINAL_CODES = new Set(['diverged', 'invalid-input', 'dataset-missing', 'dataset-corrupt']);

export interface TrialWorkerOptions {
  target: RedisTarget;
  /** How this worker names itself to the owner (`host:pid`). */
  name: string;
  trainer: TrialTrainer;
  /** The scratch runs folder the trainer writes into; a trial's folder is removed once it is uploaded. */
  runsDir: string;
  timings?: Partial<WorkerTimings>;
  /** A line for the terminal: a trial taken, a trial's result. */
  print(line: string): void;
  /** A problem worth a line on stderr (scrubbed of the password already). */
  warn(message: string): void;
}

type RunEnd = Extract<StudioEvent, { type: 'done' | 'error' }>;

/** Takes trials from the queue one at a time until closed. */
export class TrialWorker {
  readonly #options: TrialWorkerOptions;
  readonly #timings: WorkerTimings;
  #worker: Worker<unknown, TrialReturn> | null = null;
  #workerClient: Redis | null = null;
  readonly #keys: Redis;
  readonly #store: RunStore;
  #isClosing = false;
  /** The job in progress, and whether BullMQ failed to renew its lock (another worker may have it now). */
  #current: { jobId: string; hasLostLock: boolean } | null = null;

  constructor(options: TrialWorkerOptions) {
    this.#options = options;
    this.#store = new RunStore(options.runsDir);
    this.#timings = { ...DEFAULT_WORKER_TIMINGS, ...options.timings };
    this.#keys = redisClient(options.target, 'worker-keys', (message) => options.warn(`Redis: ${message}`));
  }

  /** Starts taking trials; resolves once connected. */
  async start(): Promise<void> {
    const { target, name, warn } = this.#options;
    this.#workerClient = redisClient(target, 'worker', (message) => warn(`Redis: ${message}`));
    const worker = new Worker<unknown, TrialReturn>(QUEUE_NAME, (job, token) => this.#process(job, token), {
      connection: this.#workerClient,
      name,
      concurrency: 1,
      lockDuration: this.#timings.lockMs,
      stalledInterval: this.#timings.stalledMs,
      maxStalledCount: MAX_STALLS,
      autorun: true,
    });
    worker.on('error', (err) => warn(`queue: ${err.message}`));
    worker.on('lockRenewalFailed', (jobIds) => {
      const current = this.#current;
      if (!current || !jobIds.includes(current.jobId)) return;
      // Redis lost the lock (down longer than the lock lasts, or the trial was handed on): training on is wasted.
      current.hasLostLock = true;
      this.#options.trainer.stop();
    });
    this.#worker = worker;
    await worker.waitUntilReady();
  }

  /** Stops taking trials; a trial in progress stops at once and goes back to the queue (from its last uploaded checkpoint). */
  async close(): Promise<void> {
    this.#isClosing = true;
    this.#options.trainer.stop();
    await this.#worker?.close();
    this.#keys.disconnect();
    this.#workerClient?.disconnect();
  }

  async #process(job: Job<unknown, TrialReturn>, token: string | undefined): Promise<TrialReturn> {
    const parsed = TrialJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`The job is not a trial: ${describeIssue(parsed.error.issues[0])}.`);
    const trial = parsed.data;
    const jobId = job.id ?? '';
    const reports = new ReportChain(job, (message) => this.#options.warn(`${trial.label}: ${message}`));
    const worker = this.#options.name;
    reports.push({ type: 'claimed', worker, attempt: Math.max(1, job.attemptsStarted) });
    if (await this.#stopDecision(jobId)) {
      await reports.flush();
      return { format: 1, outcome: 'skipped', worker };
    }
    const resumedFrom = await this.#restoreCheckpoint(jobId, trial);
    this.#options.print(`${trial.label}  ${resumedFrom === null ? 'training' : `resuming from iteration ${resumedFrom}`}…`);
    const current = { jobId, hasLostLock: false };
    this.#current = current;
    const end = await this.#train(trial, jobId, resumedFrom, reports).finally(() => (this.#current = null));
    await reports.flush();
    try {
      if (current.hasLostLock || (token !== undefined && (await job.extendLock(token, this.#timings.lockMs)) === 0)) {
        this.#options.print(`${trial.label}  given up: this worker lost the trial's lock (another worker has it now)`);
        throw new Error(`${this.#options.name} lost the trial's lock (cut off from Redis for longer than the lock lasts)`);
      }
      if (this.#isClosing) {
        // Handed back: the next worker resumes from the checkpoint uploaded last.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (end.type === 'error') {
        this.#options.print(`${trial.label}  failed: ${end.message}`);
        throw FINAL_CODES.has(end.code) ? new UnrecoverableError(end.message) : new Error(end.message);
      }
      return await this.#upload(trial, jobId, end.stopped);
    } finally {
      await rm(this.#store.runDir(trial.runId), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Trains (or resumes) the trial to its end, reporting and checking for a stop decision on the way. */
  async #train(trial: TrialJob, jobId: string, resumedFrom: number | null, reports: ReportChain): Promise<RunEnd> {
    const { trainer, name: worker } = this.#options;
    let lastReportMs = -Infinity;
    let lastCheckpoint = resumedFrom ?? 0;
    let isStopAsked = false;
    const onProgress = (event: Extract<StudioEvent, { type: 'progress' }>) => {
      const validation = event.validation ? { iteration: event.iteration, accuracy: event.validation.accuracy } : null;
      const nowMs = performance.now();
      if (!validation && nowMs - lastReportMs < this.#timings.progressMs) return;
      lastReportMs = nowMs;
      const { iteration, totalIterations, samplesPerSec, elapsedMs, etaMs } = event;
      reports.push({ type: 'progress', worker, iteration, totalIterations, samplesPerSec, elapsedMs, etaMs, validation });
      void this.#betweenReports(trial, jobId, lastCheckpoint, reports).then((found) => {
        if (found === 'stop' && !isStopAsked) {
          isStopAsked = true;
          trainer.stop();
        } else if (typeof found === 'number') lastCheckpoint = Math.max(lastCheckpoint, found);
      });
    };
    let off = () => undefined as unknown;
    const end = new Promise<RunEnd>((resolve) => {
      off = trainer.onEvent((event) => {
        if (!('runId' in event) || (event.runId !== trial.runId && event.runId !== null)) return;
        if (event.type === 'started') {
          const validation = (event.resumedFrom?.history.validation ?? []).map(({ iteration, accuracy }) => ({ iteration, accuracy }));
          reports.push({
            type: 'started',
            worker,
            backend: event.backend,
            totalIterations: event.totalIterations,
            resumedFrom,
            validation,
          });
        } else if (event.type === 'progress') onProgress(event);
        else if (event.type === 'done' || event.type === 'error') resolve(event);
      });
      const begin = resumedFrom === null ? trainer.start(trial.runId, trial.request) : trainer.resume(trial.runId);
      begin.catch((err: unknown) =>
        resolve({ type: 'error', runId: trial.runId, code: 'worker-crashed', message: err instanceof Error ? err.message : String(err) }),
      );
    });
    try {
      return await end;
    } finally {
      off();
    }
  }

  /** Between two reports: 'stop' when the owner decided so, else the iteration of a newer checkpoint uploaded, else null. */
  async #betweenReports(trial: TrialJob, jobId: string, after: number, reports: ReportChain): Promise<'stop' | number | null> {
    try {
      if (await this.#stopDecision(jobId)) return 'stop';
      const uploaded = await this.#uploadCheckpoint(trial, jobId, after);
      if (uploaded !== null) reports.push({ type: 'checkpoint', worker: this.#options.name, iteration: uploaded });
      return uploaded;
    } catch (err) {
      this.#options.warn(`${trial.label}: ${(err as Error).message}`);
      return null;
    }
  }

  async #stopDecision(jobId: string): Promise<boolean> {
    return (await this.#keys.get(stopKey(jobId))) !== null;
  }

  /** The checkpoint on disk if it is newer than `after`, uploaded whole; its iteration, or null. */
  async #uploadCheckpoint(trial: TrialJob, jobId: string, after: number): Promise<number | null> {
    const store = this.#store;
    const state = await readCheckpointState(store, trial.runId).catch(() => null);
    if (!state || state.iteration <= after) return null;
    const files: Record<string, Uint8Array> = {};
    for (const name of CHECKPOINT_FILES) files[name] = await readCheckpointFile(store, trial.runId, name);
    // The engine replaces the folder in one rename: files read across a replacement are not one checkpoint.
    if ((await readCheckpointState(store, trial.runId).catch(() => null))?.iteration !== state.iteration) return null;
    const blob = encodeCheckpoint({ runId: trial.runId, iteration: state.iteration, files });
    await this.#keys.set(checkpointKey(jobId), blob, 'EX', KEY_TTL_SECONDS);
    return state.iteration;
  }

  /**
   * The checkpoint another worker uploaded for this job, written where the trainer resumes from;
   * its iteration, or null (none, or unusable: the trial then starts again).
   */
  async #restoreCheckpoint(jobId: string, trial: TrialJob): Promise<number | null> {
    const store = this.#store;
    const { warn } = this.#options;
    await rm(store.runDir(trial.runId), { recursive: true, force: true });
    const blob = await this.#keys.getBuffer(checkpointKey(jobId));
    if (!blob) return null;
    try {
      const checkpoint = decodeCheckpoint(blob);
      if (checkpoint.runId !== trial.runId) throw new Error(`it is run ${checkpoint.runId}'s, not ${trial.runId}'s`);
      await writeCheckpointFiles(store, trial.runId, checkpoint.files);
      const state = await readCheckpointState(store, trial.runId);
      if (JSON.stringify(state.request.hyperparams) !== JSON.stringify(trial.request.hyperparams)) {
        throw new Error('it was saved for other hyperparameters');
      }
      return state.iteration;
    } catch (err) {
      warn(`${trial.label}: the uploaded checkpoint is unusable (${(err as Error).message}); training from the start.`);
      await rm(store.runDir(trial.runId), { recursive: true, force: true });
      return null;
    }
  }

  /** Uploads the finished run under the job's result key; the return value that names it. */
  async #upload(trial: TrialJob, jobId: string, stopped: boolean): Promise<TrialReturn> {
    const store = this.#store;
    const { name: worker } = this.#options;
    const record = await store.loadRecord(trial.runId);
    const files = await store.loadModelFiles(trial.runId);
    const blob = encodeResult({ record, modelJson: files.modelJson, weights: files.weights });
    const sha256 = sha256Of(blob);
    await this.#keys.set(resultKey(jobId, sha256), blob, 'EX', KEY_TTL_SECONDS);
    this.#options.print(`${trial.label}  ${resultText(record)}`);
    return { format: 1, outcome: 'trained', worker, runId: trial.runId, stopped, sha256, bytes: blob.byteLength };
  }
}

/** Sends a job's reports in order without holding up the trainer's events; a failed send is a warning, not a failed trial. */
class ReportChain {
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly job: Job<unknown, TrialReturn>,
    private readonly warn: (message: string) => void,
  ) {}

  push(report: TrialReport): void {
    this.#chain = this.#chain
      .then(() => this.job.updateProgress(report))
      .catch((err: unknown) => this.warn(`a progress report was lost (${(err as Error).message})`));
  }

  flush(): Promise<void> {
    return this.#chain;
  }
}

/** `done  best val 97.10%  test 96.80%  800/800 it  62.3 s` */
export function resultText(record: RunRecord): string {
  const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(2)}%`);
  const scores = record.history.validation.map((p) => p.accuracy).filter((a) => Number.isFinite(a));
  const best = scores.length > 0 ? Math.max(...scores) : null;
  const total = record.iterations;
  return [
    record.stopped ? 'stopped' : 'done',
    `best val ${pct(best)}`,
    `test ${pct(record.testAccuracy)}`,
    `${total} it`,
    `${(record.elapsedMs / 1000).toFixed(1)} s`,
  ].join('  ');
}
