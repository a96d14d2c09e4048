/**
 * Owns the trainer worker_thread: starts it, waits for `ready`, matches replies to requests,
 * relays TrainEvents, and survives the worker dying. Main never runs tensor math itself (a
 * training loop on main's thread would freeze every window). No `electron` import: the CLI,
 * the e2e harness and the tests use this too.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { BackendName, DatasetStatus, Inspection, Prediction, StartRequest, StudioEvent, TestResults } from '../../common/api';
import { StudioError, fromWireError } from '../../common/errors';
import type { WorkerCommand, WorkerConfig, WorkerMessage, WorkerRequest } from '../engine/protocol';
import type { TrainJob } from '../store/train-job';
import { Deferred } from './deferred';
import { logStudioEvent } from './event-log';
import { consoleLogger } from './logger';
import type { Logger } from './logger';

/** What the worker reported once it had picked a backend. */
export interface ReadyInfo {
  backend: BackendName;
  backendNote: string | null;
  versions: Record<string, string>;
}

/** How often a dying worker is brought back before the host gives up. */
export interface RestartPolicy {
  /** Delay before the first restart; doubles per crash inside the window. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** More crashes than this within `windowMs` and the host stops restarting. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 8_000,
  maxRestarts: 5,
  windowMs: 60_000,
};

/** The part of a worker_threads Worker the host uses (tests may pass a fake). */
export interface WorkerLike {
  postMessage(message: WorkerCommand): void;
  on(event: 'message', listener: (message: WorkerMessage) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (exitCode: number) => void): unknown;
  terminate(): Promise<number>;
}

export interface TrainerHostOptions {
  config: WorkerConfig;
  /** The bundled worker (out/worker/worker.mjs); required unless `createWorker` is given. */
  workerPath?: string;
  createWorker?: (config: WorkerConfig) => WorkerLike;
  restart?: Partial<RestartPolicy>;
  /** Where crashes (with the worker's stack), restarts and run milestones are written; default the console. */
  logger?: Logger;
}

/** A request without its id: the host numbers them. */
export type HostRequest = { [K in WorkerRequest['type']]: Omit<Extract<WorkerRequest, { type: K }>, 'id'> }[WorkerRequest['type']];

/** The reply type for each request type. */
export interface ReplyByType {
  predict: Prediction;
  inspect: Inspection;
  evaluate: TestResults;
  dataset: DatasetStatus;
  classify: number[];
}

interface PendingRequest {
  resolve(value: unknown): void;
  reject(err: StudioError): void;
}

/** Starts, talks to and restarts the trainer worker. */
export class TrainerHost {
  private readonly createWorker: (config: WorkerConfig) => WorkerLike;
  private readonly policy: RestartPolicy;
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private readonly pending = new Map<number, PendingRequest>();
  private readonly log: Logger;
  /** 'trainer' or 'predictor', for the log. */
  private readonly role: string;
  private worker: WorkerLike | null = null;
  /** Bumped per spawn, so messages from a replaced worker are ignored. */
  private generation = 0;
  private nextRequestId = 0;
  private readyInfo: ReadyInfo | null = null;
  private readyDeferred = new Deferred<ReadyInfo>();
  private activeRunId: string | null = null;
  private lastWorkerError: Error | null = null;
  /** Set while a restart is due; reported in `worker-restarted` once the new worker is ready. */
  private restartReason: string | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private crashTimesMs: number[] = [];
  private failure: StudioError | null = null;
  private isDisposed = false;

  constructor(private readonly options: TrainerHostOptions) {
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.restart };
    this.createWorker = options.createWorker ?? defaultWorkerFactory(options.workerPath);
    this.log = options.logger ?? consoleLogger;
    this.role = options.config.role ?? 'trainer';
    this.spawn();
  }

  /** Resolves once the current worker is ready; waits through restarts; rejects when given up. */
  ready(): Promise<ReadyInfo> {
    return this.failure ? Promise.reject(this.failure) : this.readyDeferred.promise;
  }

  /** The backend report of the running worker; null while it starts. */
  get info(): ReadyInfo | null {
    return this.readyInfo;
  }

  /** Subscribes to TrainEvents and `worker-restarted`; returns the unsubscribe. */
  onEvent(callback: (event: StudioEvent) => void): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  /** Starts a run once the worker is ready; events report how it goes. */
  async start(runId: string, request: StartRequest | TrainJob): Promise<void> {
    await this.ready();
    this.activeRunId = runId;
    this.post({ type: 'start', runId, request });
  }

  /** Continues an interrupted run from its checkpoint once the worker is ready. */
  async resume(runId: string): Promise<void> {
    await this.ready();
    this.activeRunId = runId;
    this.post({ type: 'resume', runId });
  }

  /** Asks the running run to stop; it still ends with a `done` event (stopped: true). */
  stop(): void {
    if (this.worker && this.activeRunId !== null) this.post({ type: 'stop' });
  }

  /** Sends a request and resolves with the worker's reply. */
  async request<R extends HostRequest>(message: R): Promise<ReplyByType[R['type']]> {
    await this.ready();
    const id = ++this.nextRequestId;
    return new Promise<ReplyByType[R['type']]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ ...message, id } as WorkerRequest);
    });
  }

  /** Test hook: kills the worker from outside, which the host must treat as a crash. */
  crashForTest(): void {
    void this.worker?.terminate();
  }

  /** Stops the worker for good; pending requests fail with `cancelled`. */
  async dispose(): Promise<void> {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const closing = new StudioError('cancelled', 'The trainer was shut down.');
    this.rejectPending(closing);
    this.readyDeferred.reject(closing);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private post(command: WorkerCommand): void {
    if (!this.worker) {
      const err = this.failure ?? new StudioError('worker-crashed', 'The trainer is restarting; try again in a moment.');
      if ('id' in command) this.settle(command.id, err);
      else throw err;
      return;
    }
    this.worker.postMessage(command);
  }

  private spawn(): void {
    const generation = ++this.generation;
    this.lastWorkerError = null;
    try {
      const worker = this.createWorker(this.options.config);
      worker.on('message', (message) => generation === this.generation && this.onMessage(message));
      worker.on('error', (err) => generation === this.generation && (this.lastWorkerError = err));
      worker.on('exit', (code) => generation === this.generation && this.onExit(code));
      this.worker = worker;
    } catch (err) {
      this.lastWorkerError = err instanceof Error ? err : new Error(String(err));
      queueMicrotask(() => generation === this.generation && this.onExit(-1));
    }
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        return this.onReady({ backend: message.backend, backendNote: message.backendNote, versions: message.versions });
      case 'reply':
        return message.ok ? this.settle(message.id, null, message.value) : this.settle(message.id, fromWireError(message.error));
      case 'event': {
        const event = message.event;
        if ((event.type === 'done' || event.type === 'error') && event.runId === this.activeRunId) this.activeRunId = null;
        return this.emit(event);
      }
      case 'log':
        return message.level === 'error'
          ? this.log.error(`${this.role} worker:`, message.message)
          : this.log.warn(`${this.role} worker:`, message.message);
    }
  }

  private onReady(info: ReadyInfo): void {
    this.readyInfo = info;
    this.readyDeferred.resolve(info);
    if (this.restartReason !== null) {
      const reason = this.restartReason;
      this.restartReason = null;
      this.emit({ type: 'worker-restarted', reason });
    }
  }

  /** Any exit we did not ask for is a crash: fail what was waiting, report, restart. */
  private onExit(exitCode: number): void {
    if (this.isDisposed) return;
    const reason = this.lastWorkerError
      ? `The trainer crashed: ${this.lastWorkerError.message}`
      : `The trainer stopped unexpectedly (exit code ${exitCode})`;
    // The Error carries the worker's stack: the one place it is kept, as the window shows only `reason`.
    this.log.error(`The ${this.role} worker exited with code ${exitCode}:`, this.lastWorkerError ?? 'no error was reported');
    this.worker = null;
    if (this.readyDeferred.settled) this.readyDeferred = new Deferred<ReadyInfo>(); // callers wait for the next worker
    this.readyInfo = null;
    this.rejectPending(new StudioError('worker-crashed', `${reason}.`));
    if (this.activeRunId !== null) {
      const runId = this.activeRunId;
      this.activeRunId = null;
      const message = `${reason}. Run ${runId} was interrupted; it can be resumed from its last checkpoint, if it had saved one (Interrupted runs; or npm run train -- --resume ${runId}).`;
      this.emit({ type: 'error', runId, code: 'worker-crashed', message });
    }
    this.scheduleRestart(reason);
  }

  private scheduleRestart(reason: string): void {
    const nowMs = Date.now();
    this.crashTimesMs = this.crashTimesMs.filter((t) => nowMs - t < this.policy.windowMs);
    this.crashTimesMs.push(nowMs);
    const crashes = this.crashTimesMs.length;
    if (crashes > this.policy.maxRestarts) return this.giveUp(reason, crashes);
    const delayMs = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (crashes - 1));
    this.log.info(`Restarting the ${this.role} worker in ${delayMs} ms (crash ${crashes} within ${this.policy.windowMs / 1000} s).`);
    this.restartReason = reason;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.isDisposed) this.spawn();
    }, delayMs);
  }

  /** A crash loop: stop spinning, fail everything from now on with an actionable message. */
  private giveUp(reason: string, crashes: number): void {
    const seconds = Math.round(this.policy.windowMs / 1000);
    const message = `The trainer crashed ${crashes} times within ${seconds} s and was not restarted (${reason}). Restart LSTM Studio.`;
    this.failure = new StudioError('worker-crashed', message);
    this.log.error(`Gave up on the ${this.role} worker: ${message}`);
    this.readyDeferred.reject(this.failure);
    this.emit({ type: 'error', runId: null, code: 'worker-crashed', message });
  }

  private settle(id: number, err: StudioError | null, value?: unknown): void {
    const request = this.pending.get(id);
    if (!request) return; // a reply to a request already failed by a crash
    this.pending.delete(id);
    if (err) request.reject(err);
    else request.resolve(value);
  }

  private rejectPending(err: StudioError): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) request.reject(err);
  }

  private emit(event: StudioEvent): void {
    logStudioEvent(this.log, this.role, event);
    for (const listener of this.listeners) listener(event);
  }
}

/** Spawns the real bundled worker; a missing bundle is a build step forgotten, said plainly. */
function defaultWorkerFactory(workerPath: string | undefined): (config: WorkerConfig) => WorkerLike {
  if (!workerPath) throw new StudioError('internal', 'TrainerHost needs a workerPath or a createWorker function.');
  if (!existsSync(workerPath)) {
    throw new StudioError('internal', `The trainer worker is not built (${workerPath} is missing): run "npm run build:engine".`);
  }
  return (config) => new Worker(workerPath, { workerData: config }) as unknown as WorkerLike;
}
