import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFileLogger } from '../../../../main/service/log-file';
import { TrainerHost } from '../../../../main/service/trainer-host';
import type { WorkerLike } from '../../../../main/service/trainer-host';
import type { WorkerCommand, WorkerConfig, WorkerMessage } from '../../../../main/engine/protocol';
import type { StudioEvent } from '../../../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import { progress } from './events';

/** A worker that records what it was sent; the test plays its side of the protocol. */
class FakeWorker extends EventEmitter implements WorkerLike {
  readonly sent: WorkerCommand[] = [];
  postMessage(message: WorkerCommand): void {
    this.sent.push(message);
  }
  async terminate(): Promise<number> {
    setImmediate(() => this.emit('exit', 1));
    return 1;
  }
  say(message: WorkerMessage): void {
    this.emit('message', message);
  }
  ready(): void {
    this.say({ type: 'ready', backend: 'cpu', backendNote: 'no wasm here', versions: { tfjs: '4.22.0' } });
  }
}

const CONFIG: WorkerConfig = { dataDir: '/d', runsDir: '/r' };
const START = { hyperparams: DEFAULT_HYPERPARAMS };

/** A logger that keeps what it is given, Errors as Errors. */
function recordingLogger() {
  const lines: { level: 'error' | 'warn' | 'info'; parts: unknown[] }[] = [];
  const logger = {
    error: (...parts: unknown[]) => void lines.push({ level: 'error', parts }),
    warn: (...parts: unknown[]) => void lines.push({ level: 'warn', parts }),
    info: (...parts: unknown[]) => void lines.push({ level: 'info', parts }),
  };
  return { lines, logger };
}

function setup(restart = { initialDelayMs: 10, maxDelayMs: 40, maxRestarts: 3, windowMs: 60_000 }) {
  const workers: FakeWorker[] = [];
  const { lines, logger } = recordingLogger();
  const host = new TrainerHost({
    config: CONFIG,
    restart,
    logger,
    createWorker: (config) => {
      expect(config).toEqual(CONFIG);
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  });
  const events: StudioEvent[] = [];
  host.onEvent((e) => events.push(e));
  return { host, workers, events, lines, latest: () => workers[workers.length - 1] };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('TrainerHost', () => {
  it('waits for ready before sending, then matches replies to requests by id', async () => {
    const { host, latest } = setup();
    const reply = host.request({ type: 'dataset' });
    await tick();
    expect(latest().sent).toEqual([]);
    latest().ready();
    await tick();
    const sent = latest().sent[0];
    expect(sent).toMatchObject({ type: 'dataset' });
    const id = (sent as { id: number }).id;
    latest().say({
      type: 'reply',
      id,
      ok: true,
      value: { source: 's', isCached: true, cachePath: 'c', trainCount: 1, validationCount: 1, testCount: 1, loadMs: 1 },
    });
    await expect(reply).resolves.toMatchObject({ source: 's' });
    expect(host.info).toMatchObject({ backend: 'cpu', backendNote: 'no wasm here' });
    await host.dispose();
  });

  it('rejects a request with the StudioError the worker reported', async () => {
    const { host, latest } = setup();
    latest().ready();
    const reply = host.request({ type: 'evaluate', request: { runId: 'nope' } });
    await tick();
    const id = (latest().sent[0] as { id: number }).id;
    latest().say({ type: 'reply', id, ok: false, error: { code: 'not-found', message: 'no run nope' } });
    await expect(reply).rejects.toMatchObject({ name: 'StudioError', code: 'not-found', message: 'no run nope' });
    await host.dispose();
  });

  it('on a crash: fails pending requests, reports the active run, restarts, then says worker-restarted', async () => {
    const { host, workers, events, latest } = setup();
    latest().ready();
    await host.start('run-a', START);
    latest().say({ type: 'event', event: progress(1) });
    const pending = host.request({ type: 'dataset' });
    await tick();
    latest().emit('error', new Error('out of memory'));
    latest().emit('exit', 1);
    await expect(pending).rejects.toMatchObject({ code: 'worker-crashed' });
    expect(events.at(-1)).toMatchObject({ type: 'error', runId: 'run-a', code: 'worker-crashed' });
    expect((events.at(-1) as { message: string }).message).toContain('out of memory');
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    const ready = host.ready();
    latest().ready();
    await ready;
    expect(events.at(-1)).toEqual({ type: 'worker-restarted', reason: 'The trainer crashed: out of memory' });
    await host.dispose();
  });

  it('logs a crash with the Error the worker reported (its stack), the interrupted run and the restart', async () => {
    const { host, workers, lines, latest } = setup();
    latest().ready();
    await host.start('run-a', START);
    const crash = new Error('out of memory');
    latest().emit('error', crash);
    latest().emit('exit', 1);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toEqual([{ level: 'error', parts: ['The trainer worker exited with code 1:', crash] }]);
    const infos = lines.filter((l) => l.level === 'info').map((l) => String(l.parts[0]));
    expect(infos).toContainEqual(
      expect.stringMatching(
        /^trainer: run run-a failed \(worker-crashed\): The trainer crashed: out of memory\. Run run-a was interrupted/,
      ),
    );
    expect(infos).toContainEqual(expect.stringMatching(/^Restarting the trainer worker in 10 ms/));
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    latest().ready();
    await vi.waitFor(() => expect(lines.at(-1)?.parts[0]).toMatch(/^trainer: worker restarted after: The trainer crashed: out of memory/));
    await host.dispose();
  });

  it('logs what the worker sends for the log at its level, and gives up loudly', async () => {
    const { host, workers, lines, latest } = setup({ initialDelayMs: 1, maxDelayMs: 1, maxRestarts: 0, windowMs: 60_000 });
    latest().say({ type: 'log', level: 'warn', message: '[dataset] the cache could not be written' });
    latest().say({ type: 'log', level: 'error', message: 'Run r failed: TypeError: x\n    at step (engine.ts:1:1)' });
    expect(lines).toEqual([
      { level: 'warn', parts: ['trainer worker:', '[dataset] the cache could not be written'] },
      { level: 'error', parts: ['trainer worker:', 'Run r failed: TypeError: x\n    at step (engine.ts:1:1)'] },
    ]);
    latest().emit('exit', 3);
    expect(lines.filter((l) => l.level === 'error').map((l) => String(l.parts[0]))).toEqual([
      'trainer worker:',
      'The trainer worker exited with code 3:',
      expect.stringMatching(/^Gave up on the trainer worker: The trainer crashed 1 times/),
    ]);
    expect(workers).toHaveLength(1);
    await host.dispose();
  });

  it("writes a real worker thread's crash, with its stack trace, to the log file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lstm-studio-host-log-'));
    const file = path.join(dir, 'main.log');
    const host = new TrainerHost({
      config: { ...CONFIG, role: 'predictor' },
      restart: { maxRestarts: 0 },
      logger: createFileLogger(file, { consoleLevel: false }),
      // A worker whose code throws at once: a real thread, a real uncaught exception, a real stack.
      createWorker: () =>
        new Worker('function loadModel() { throw new RangeError("wasm memory exhausted"); } loadModel();', {
          eval: true,
        }) as unknown as WorkerLike,
    });
    await expect(host.ready()).rejects.toMatchObject({ code: 'worker-crashed' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/\[error\]\s+The predictor worker exited with code 1: [\s\S]*RangeError: wasm memory exhausted\n\s+at loadModel /);
    expect(text).toMatch(/\[error\]\s+Gave up on the predictor worker/);
    await host.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('treats crashForTest (terminate from outside) as a crash', async () => {
    const { host, workers, events, latest } = setup();
    latest().ready();
    host.crashForTest();
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    latest().ready();
    await tick();
    expect(events).toEqual([{ type: 'worker-restarted', reason: 'The trainer stopped unexpectedly (exit code 1)' }]);
    await host.dispose();
  });

  it('stops restarting after too many crashes in the window, and fails from then on', async () => {
    const { host, workers, events, latest } = setup();
    for (let i = 0; i < 4; i++) {
      await vi.waitFor(() => expect(workers).toHaveLength(i + 1));
      latest().emit('exit', 7);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(workers).toHaveLength(4); // 1 start + 3 restarts, then no more
    expect(events.at(-1)).toMatchObject({ type: 'error', runId: null, code: 'worker-crashed' });
    await expect(host.request({ type: 'dataset' })).rejects.toMatchObject({ code: 'worker-crashed' });
    await host.dispose();
  });

  it('backs off: each restart waits twice as long, up to the cap', async () => {
    vi.useFakeTimers();
    const { host, workers, latest } = setup({ initialDelayMs: 100, maxDelayMs: 300, maxRestarts: 10, windowMs: 60_000 });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      latest().emit('exit', 1);
      const before = workers.length;
      let waitedMs = 0;
      while (workers.length === before) {
        await vi.advanceTimersByTimeAsync(10);
        waitedMs += 10;
      }
      waits.push(waitedMs);
    }
    expect(waits).toEqual([100, 200, 300, 300]);
    await host.dispose();
  });

  it('clears the active run on done, so a later crash reports no run', async () => {
    const { host, events, latest } = setup();
    latest().ready();
    await host.start('run-a', START);
    latest().say({ type: 'event', event: { type: 'error', runId: 'run-a', code: 'diverged', message: 'NaN loss' } });
    latest().emit('exit', 1);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
    await host.dispose();
  });

  it('dispose terminates the worker, cancels pending requests and does not restart', async () => {
    const { host, workers, latest } = setup();
    const pending = host.request({ type: 'dataset' });
    const terminate = vi.spyOn(latest(), 'terminate');
    await host.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(terminate).toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(workers).toHaveLength(1);
  });

  it('refuses to start without a built worker, naming the missing file', () => {
    expect(() => new TrainerHost({ config: CONFIG, workerPath: '/nowhere/worker.mjs' })).toThrow(/\/nowhere\/worker\.mjs is missing/);
  });
});
