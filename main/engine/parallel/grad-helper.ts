/**
 * The trainer's handle on its gradient helper thread (grad-worker.ts): starts it, sends "step",
 * awaits "done" with a time limit, and turns any way the thread can die (an uncaught error, an
 * exit, a reported failure, silence) into a StudioError('worker-crashed') instead of a hang.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StudioError } from '../../../common/errors';
import type { FromHelper, HelperAnswer, HelperConfig, ToHelper } from './grad-exchange';

interface Pending {
  seq: number;
  resolve(answer: HelperAnswer): void;
  reject(err: StudioError): void;
  timer: NodeJS.Timeout | null;
}

/**
 * Where the helper bundle is: next to this bundle (out/worker/), next to out/cli/ for the bench,
 * or the built one when this file runs from source (tests). Null when there is none.
 */
export function findHelperBundle(): URL | null {
  const candidates = ['./grad-worker.mjs', '../worker/grad-worker.mjs', '../../../out/worker/grad-worker.mjs'];
  for (const candidate of candidates) {
    const url = new URL(candidate, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

export class GradHelper {
  /** Resolves once the helper has built its model; rejects (plain Error, saying why) if it dies or stalls first. */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private pending: Pending | null = null;
  private failure: StudioError | null = null;
  private isReady = false;
  private isClosed = false;

  constructor(url: URL, config: HelperConfig, startTimeoutMs: number) {
    this.worker = new Worker(url, { workerData: config });
    // The trainer's own timers keep the process alive while it waits; a forgotten helper must not.
    this.worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`did not start within ${startTimeoutMs / 1000} s`), startTimeoutMs);
      this.onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.onStartFailure = (what) => {
        clearTimeout(timer);
        reject(new Error(`The gradient helper thread ${what}.`));
      };
    });
    this.worker.on('message', (message: FromHelper) => this.receive(message));
    this.worker.on('error', (err: Error) => this.fail(`failed: ${err.message}`));
    this.worker.on('exit', (code) => this.fail(`stopped (exit code ${code})`));
  }

  /**
   * Asks for one part's gradients, or its share of a scoring pass (the data is already in
   * shared memory). The time limit starts with `armTimeout`, once the trainer's own part is
   * done: the helper's part is the same size, so a long silence after that means it is stuck.
   */
  request(command: Extract<ToHelper, { type: 'step' }>): Promise<Extract<HelperAnswer, { type: 'done' }>>;
  request(command: Extract<ToHelper, { type: 'score' }>): Promise<Extract<HelperAnswer, { type: 'scored' }>>;
  request(command: Extract<ToHelper, { seq: number }>): Promise<HelperAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    const answer = new Promise<HelperAnswer>((resolve, reject) => {
      this.pending = { seq: command.seq, resolve, reject, timer: null };
    });
    this.worker.postMessage(command satisfies ToHelper);
    return answer;
  }

  /** Starts the clock on the pending request. */
  armTimeout(timeoutMs: number): void {
    const pending = this.pending;
    if (!pending || pending.timer) return;
    pending.timer = setTimeout(() => this.fail(`did not answer within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
  }

  /** Asks the helper to quit, then makes sure it does. */
  dispose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.worker.postMessage({ type: 'quit' } satisfies ToHelper);
    void this.worker.terminate();
  }

  private onReady: () => void = () => undefined;
  private onStartFailure: (what: string) => void = () => undefined;

  private receive(message: FromHelper): void {
    if (message.type === 'ready') {
      this.isReady = true;
      this.onReady();
    } else if (message.type === 'failed') {
      this.fail(`failed: ${message.message}`);
    } else if (this.pending?.seq === message.seq) {
      const { resolve, timer } = this.pending;
      if (timer) clearTimeout(timer);
      this.pending = null;
      resolve(message);
    }
  }

  /** Records the first failure, rejects whoever waits, and stops the thread. */
  private fail(what: string): void {
    if (this.failure || this.isClosed) return;
    this.failure = new StudioError('worker-crashed', `The gradient helper thread ${what}. The run cannot continue; start it again.`);
    if (!this.isReady) this.onStartFailure(what);
    const pending = this.pending;
    this.pending = null;
    if (pending?.timer) clearTimeout(pending.timer);
    pending?.reject(this.failure);
    this.isClosed = true;
    void this.worker.terminate();
  }
}
