import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

function setup(restart = { initialDelayMs: 10, maxDelayMs: 40, maxRestarts: 3, windowMs: 60_000 }) {
  const workers: FakeWorker[] = [];
  const host = new TrainerHost({
    config: CONFIG,
    restart,
    createWorker: (config) => {
      expect(config).toEqual(CONFIG);
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  });
  const events: StudioEvent[] = [];
  host.onEvent((e) => events.push(e));
  return { host, workers, events, latest: () => workers[workers.length - 1] };
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
