/**
 * Sweeps on workers, for real: a Debian redis-server started by the test on a loopback port
 * (with a password and append-only persistence), worker processes spawned from the bundled
 * out/cli/worker.mjs, the studio's own StudioService as the sweep's owner, and tiny models so
 * that each trial takes seconds. Every fault the issue lists is a test: Redis unreachable at
 * start, a worker killed mid-trial, Redis restarted mid-sweep, a damaged or other-architecture
 * result, two studios on one Redis, the studio closed mid-sweep. Throughout: every trial is
 * imported exactly once, and the password is never printed or saved.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../main/service/paths';
import { StudioService } from '../../main/service/service';
import type { StudioEvent } from '../../common/api';
import type { SweepEvent, SweepPlanInput, SweepState } from '../../common/sweep';
import { QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { RunStore } from '../../main/store/store';
import { encodeResult, sha256Of, TrialJobSchema } from '../../main/queue/codec';
import type { TrialReturn } from '../../main/queue/codec';
import { QUEUE_NAME, resultKey } from '../../main/queue/names';
import { hasRedisServer, freePort, RedisServer } from '../support/redis-server';
import { WorkerProcess } from '../support/queue-workers';
import { runCli } from '../support/run-cli';

const BASE = { units: 8, budget: 20, batchSize: 32, validationInterval: 10, seed: 3, learningRate: 0.01 };
const PLAN: SweepPlanInput = {
  name: 'queued grid',
  base: BASE,
  vary: { units: { mode: 'list', values: [8, 12] } },
  seedsPerConfig: 2,
  trainLimit: 800,
  testLimit: 200,
};
/** Short locks, so that a killed worker's trial moves on within seconds (tests only). */
const FAST = { lockMs: 5_000, stalledMs: 2_000 };

let redis: RedisServer;
let root: string;
let dataDir: string;
const services: StudioService[] = [];
const workers: WorkerProcess[] = [];

function newService(
  name: string,
  options: { reattach?: boolean } = {},
): { service: StudioService; events: StudioEvent[]; runsDir: string } {
  const paths = dataPaths(path.join(root, name));
  const service = new StudioService({
    ...paths,
    dataDir,
    predictorWorker: false,
    queueSweeps: { reattach: options.reattach ?? false, reconcileMs: 1_000 },
  });
  const events: StudioEvent[] = [];
  service.onEvent((event) => events.push(event));
  services.push(service);
  return { service, events, runsDir: paths.runsDir };
}

async function startWorkers(
  count: number,
  prefix: string,
  timings: { lockMs?: number; stalledMs?: number } = FAST,
): Promise<WorkerProcess[]> {
  const started = Array.from(
    { length: count },
    (_, i) => new WorkerProcess({ url: redis.url(), name: `${prefix}-${i + 1}`, dataDir, ...timings }),
  );
  workers.push(...started);
  await Promise.all(started.map((w) => w.ready()));
  return started;
}

/** Polls the sweep's state (as the front ends read it) until `check` holds. */
async function waitForState(
  service: StudioService,
  sweepId: string,
  check: (state: SweepState) => boolean,
  what: string,
): Promise<SweepState> {
  let state: SweepState | null = null;
  await waitFor(async () => {
    state = await service.loadSweep({ sweepId }).catch(() => null);
    return state !== null && check(state);
  }, what);
  return state as unknown as SweepState;
}

const testClients: Redis[] = [];

/** A client of the test's own, for looking into Redis (the password stays in the test); disconnected after each test. */
function redisOfTest(): Redis {
  const client = new Redis({ host: '127.0.0.1', port: redis.port, password: redis.password ?? undefined, maxRetriesPerRequest: null });
  client.on('error', () => undefined); // Redis restarts in one test: the clients reconnect
  testClients.push(client);
  return client;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${workers.map((w) => `--- ${w.options.name}\n${w.output}`).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sweepEnded = (events: StudioEvent[], sweepId: string) => () =>
  events.some((e): e is SweepEvent => e.type === 'sweep' && e.sweepId === sweepId && e.status !== 'running');

/** The sweep's runs on disk: each trial's run exactly once, and nothing else. */
function trialRunsOnDisk(runsDir: string): string[] {
  return readdirSync(runsDir).filter((name) => !name.startsWith('.'));
}

const describeWithRedis = hasRedisServer() ? describe : describe.skip;

describeWithRedis('a sweep on workers (BullMQ on a real redis-server)', () => {
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-queue-'));
    dataDir = path.join(root, 'data');
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await Promise.all(services.splice(0).map((s) => s.dispose()));
    for (const client of testClients.splice(0)) client.disconnect();
  });

  afterAll(async () => {
    await redis?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start when Redis cannot be reached: the URL without its password, nothing saved or enqueued', async () => {
    const { service } = newService('unreachable');
    const port = await freePort();
    const url = `redis://:hunter2-pw@127.0.0.1:${port}/0`;
    const refusal = service.startSweep({ ...PLAN, queue: { url } });
    await expect(refusal).rejects.toMatchObject({
      code: 'queue-unreachable',
      message: expect.stringContaining(`redis://:***@127.0.0.1:${port}/0`),
    });
    await expect(refusal).rejects.not.toMatchObject({ message: expect.stringContaining('hunter2') });
    // A wrong password on a live Redis is refused the same way, and nothing reaches its queue.
    const wrong = service.startSweep({ ...PLAN, queue: { url: redis.url(0, 'not-the-password') } });
    await expect(wrong).rejects.toMatchObject({ code: 'queue-unreachable', message: expect.stringMatching(/WRONGPASS|invalid/) });
    expect((await service.listSweeps()).sweeps).toEqual([]);
    expect((await service.getStatus()).sweep).toBeNull();
  });

  it('trains every trial on two workers, each imported once as a checked run; early stopping decided by the owner', async () => {
    // One measures its speed first, as a worker does by default.
    const [one, two] = [
      new WorkerProcess({ url: redis.url(), name: 'w-1', dataDir, calibrate: 5, ...FAST }),
      new WorkerProcess({ url: redis.url(), name: 'w-2', dataDir, ...FAST }),
    ];
    workers.push(one, two);
    await Promise.all([one.ready(), two.ready()]);
    expect(one.output).toMatch(/^Speed: [\d,]+ samples\/s \(the classic model, 5 iterations\)$/m);
    const { service, events, runsDir } = newService('studio');
    const plan: SweepPlanInput = {
      ...PLAN,
      base: { ...BASE, budget: 40 },
      vary: { learningRate: { mode: 'list', values: [0.01, 0.000001] } },
      earlyStopping: { reductionFactor: 2, rungs: 1 },
      queue: { url: redis.url() },
    };
    const { sweepId } = await service.startSweep(plan);
    await waitFor(sweepEnded(events, sweepId), 'the sweep to end');
    const state = await service.loadSweep({ sweepId });
    expect(state.status).toBe('done');
    expect(state.queue).toMatchObject({ url: `redis://:***@127.0.0.1:${redis.port}/0`, queueName: 'lstm-studio-trials' });
    // Config 0 learns; config 1 (lr 1e-6) is stopped at its rung by the owner, wherever it ran.
    expect(state.trials.map((t) => t.status)).toEqual(['done', 'done', 'pruned', 'pruned']);
    expect(state.trials[2].iterations).toBeLessThan(40);
    for (const trial of state.trials.slice(0, 2)) {
      expect(trial).toMatchObject({ iterations: 40, error: null });
      expect(trial.queue?.worker).toMatch(/^w-[12]$/);
      expect(trial.testAccuracy).not.toBeNull();
    }
    const runs = await service.listRuns();
    const imported = state.trials.filter((t) => t.runId !== null);
    expect(trialRunsOnDisk(runsDir).sort()).toEqual(imported.map((t) => t.runId).sort());
    for (const trial of imported) expect(runs.find((r) => r.runId === trial.runId)?.sweep).toEqual({ sweepId, trial: trial.index });
    // The workers said what they are and what they did; nobody printed or saved the password.
    for (const worker of [one, two]) {
      expect(worker.output).toMatch(/Backend: wasm/);
      expect(worker.output).not.toContain(redis.password);
    }
    expect(one.output + two.output).toMatch(/trial 1\/4 of “queued grid” {2}done {2}best val/);
    const files = readdirSync(path.join(root, 'studio', 'sweeps'));
    expect(readFileSync(path.join(root, 'studio', 'sweeps', `${sweepId}.json`), 'utf8')).not.toContain(redis.password);
    expect(files).toContain(`${sweepId}.queue-url`);
    expect(JSON.stringify(events)).not.toContain(redis.password);
  });

  it('hands a killed worker’s trial to another worker, which resumes it from the checkpoint it uploaded; progress reports are throttled', async () => {
    const [first, second] = await startWorkers(2, 'k');
    const { service, events, runsDir } = newService('killed');
    const counter = new QueueEvents(QUEUE_NAME, { connection: redisOfTest() });
    const reports: number[] = [];
    counter.on('progress', () => reports.push(Date.now()));
    await counter.waitUntilReady();
    const plan: SweepPlanInput = {
      ...PLAN,
      base: { ...BASE, budget: 600, validationInterval: 50 },
      seedsPerConfig: 1,
      queue: { url: redis.url() },
    };
    const { sweepId } = await service.startSweep(plan);
    // Kill the worker of trial 1 once it has reported a checkpoint.
    const running = await waitForState(
      service,
      sweepId,
      (s) => s.trials[0].status === 'running' && (s.trials[0].queue?.checkpoint ?? 0) >= 50,
      'a checkpoint of trial 1',
    );
    const victim = running.trials[0].queue?.worker === 'k-1' ? first : second;
    const survivor = victim === first ? second : first;
    const checkpointAt = running.trials[0].queue?.checkpoint ?? 0;
    await victim.kill();
    await waitFor(sweepEnded(events, sweepId), 'the sweep to end');
    await counter.close();

    const state = await service.loadSweep({ sweepId });
    expect(
      state.trials.map((t) => [t.status, t.iterations]),
      JSON.stringify(state.trials.map((t) => [t.error, t.queue])),
    ).toEqual([
      ['done', 600],
      ['done', 600],
    ]);
    expect(state.trials[0].queue).toMatchObject({
      worker: survivor.options.name,
      attempts: 2,
      retryReason: expect.stringContaining(victim.options.name),
    });
    expect(survivor.output).toMatch(new RegExp(`trial 1/2 of “queued grid”  resuming from iteration (\\d+)…`));
    const resumedAt = Number(/trial 1\/2 of “queued grid” {2}resuming from iteration (\d+)/.exec(survivor.output)?.[1]);
    expect(resumedAt).toBeGreaterThanOrEqual(checkpointAt);
    // Exactly once: one run per trial, the resumed one with the whole curve.
    expect(trialRunsOnDisk(runsDir)).toHaveLength(2);
    const record = await service.loadRun({ runId: state.trials[0].runId ?? '' });
    expect(record.history.validation.map((p) => p.iteration)).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600]);
    // The trainers emit 60 progress events per trial; the workers report at most ~2 a second of
    // them, besides what is always sent (claimed, started, 12 validations, 11 checkpoints a trial).
    const seconds = (reports[reports.length - 1] - reports[0]) / 1000;
    const alwaysSent = 3 * (2 + 12 + 11); // two trials and one retry
    expect(reports.length).toBeLessThan(seconds * 2 * 2 + alwaysSent);
  });

  it('stops a sweep on workers: the running trial stops and is imported, the waiting ones leave the queue; resume finishes it', async () => {
    await startWorkers(1, 'p');
    const { service, events, runsDir } = newService('stop');
    const plan: SweepPlanInput = {
      ...PLAN,
      base: { ...BASE, budget: 2_000, validationInterval: 0 },
      seedsPerConfig: 1,
      queue: { url: redis.url() },
    };
    const { sweepId } = await service.startSweep(plan);
    await waitForState(service, sweepId, (s) => s.trials[0].status === 'running', 'trial 1 running');
    await service.stopSweep();
    await waitFor(sweepEnded(events, sweepId), 'the sweep to stop');
    const stopped = await service.loadSweep({ sweepId });
    expect(stopped.status).toBe('stopped');
    expect(stopped.trials.map((t) => t.status)).toEqual(['stopped', 'pending']);
    expect(stopped.trials[0].iterations).toBeLessThan(2_000);
    expect(trialRunsOnDisk(runsDir)).toEqual([stopped.trials[0].runId]);
    const keys = redisOfTest();
    expect(await keys.keys(`bull:lstm-studio-trials:${stopped.queue?.namespace}*`)).toEqual([]); // nothing left in the queue
    events.length = 0;
    await service.resumeSweep({ sweepId });
    await waitFor(sweepEnded(events, sweepId), 'the resumed sweep to end');
    const resumed = await service.loadSweep({ sweepId });
    expect(resumed.trials.map((t) => t.status)).toEqual(['stopped', 'done']);
    expect(trialRunsOnDisk(runsDir)).toHaveLength(2);
  });

  it('hands a trial back at once when its worker is stopped (SIGTERM), and the worker exits cleanly', async () => {
    const [only] = await startWorkers(1, 's', { lockMs: 30_000, stalledMs: 30_000 });
    const { service, events } = newService('sigterm');
    const plan: SweepPlanInput = {
      ...PLAN,
      base: { ...BASE, budget: 600, validationInterval: 50 },
      vary: { units: { mode: 'list', values: [8] } },
      seedsPerConfig: 2,
      queue: { url: redis.url() },
    };
    const { sweepId } = await service.startSweep(plan);
    await waitForState(service, sweepId, (s) => (s.trials[0].queue?.checkpoint ?? 0) >= 50, 'a checkpoint of trial 1');
    expect(await only.stop()).toBe(0);
    expect(only.output).toMatch(/SIGTERM: handing the trial in progress/);
    // Back in the queue at once (no 30 s lock to wait out): a new worker resumes it.
    const back = await waitForState(service, sweepId, (s) => s.trials[0].status === 'pending', 'the trial back in the queue');
    expect(back.trials[0].queue?.retryReason).not.toBeNull();
    const [next] = await startWorkers(1, 's2', { lockMs: 30_000, stalledMs: 30_000 });
    await waitFor(sweepEnded(events, sweepId), 'the sweep to end');
    expect((await service.loadSweep({ sweepId })).trials.map((t) => t.status)).toEqual(['done', 'done']);
    expect(next.output).toMatch(/trial 1\/2 of “queued grid” {2}resuming from iteration \d+/);
  });

  it('waits out a Redis restart mid-sweep (append-only on): workers and studio reconnect and the sweep finishes', async () => {
    const [only] = await startWorkers(1, 'r', { lockMs: 15_000, stalledMs: 5_000 });
    const { service, events, runsDir } = newService('restart');
    const plan: SweepPlanInput = {
      ...PLAN,
      base: { ...BASE, budget: 300, validationInterval: 50 },
      seedsPerConfig: 1,
      queue: { url: redis.url() },
    };
    const { sweepId } = await service.startSweep(plan);
    await waitForState(service, sweepId, (s) => s.trials[0].iterations >= 50, 'trial 1 under way');
    await redis.restart(1_000);
    await waitFor(sweepEnded(events, sweepId), 'the sweep to end');
    const state = await service.loadSweep({ sweepId });
    expect(state.trials.map((t) => [t.status, t.iterations])).toEqual([
      ['done', 300],
      ['done', 300],
    ]);
    expect(trialRunsOnDisk(runsDir)).toHaveLength(2);
    expect(only.output).not.toContain(redis.password);
  });

  it('fails a trial whose result is damaged, has a bad checksum, or holds another architecture, and imports none of them', async () => {
    const { service, events, runsDir } = newService('damaged');
    const trainer = newService('fake-worker-training');
    const keys = redisOfTest();
    // A worker of the test's own: it trains each trial for real, then spoils three of the four results.
    const fake = new Worker<unknown, TrialReturn>(
      QUEUE_NAME,
      async (job) => {
        const trial = TrialJobSchema.parse(job.data);
        const spoil = trial.trial;
        const hyperparams = spoil === 1 ? { ...trial.request.hyperparams, units: 12 } : trial.request.hyperparams;
        const { runId } = await trainer.service.startTraining({ ...trial.request, hyperparams });
        await waitFor(() => trainer.events.some((e) => e.type === 'done' && e.runId === runId), `the fake worker's run ${runId}`);
        const store = new RunStore(trainer.runsDir);
        const record = { ...(await store.loadRecord(runId)), hyperparams: trial.request.hyperparams };
        const files = await store.loadModelFiles(runId);
        const weights = spoil === 0 ? files.weights.slice(0, files.weights.byteLength - 4) : files.weights;
        const blob = encodeResult({ record, modelJson: files.modelJson, weights });
        const sha256 = sha256Of(blob);
        if (spoil === 2) blob[blob.length - 5] ^= 0xff;
        await keys.set(resultKey(job.id ?? '', sha256), blob);
        return { format: 1, outcome: 'trained', worker: 'fake', runId: trial.runId, stopped: false, sha256, bytes: blob.byteLength };
      },
      { connection: redisOfTest(), concurrency: 1 },
    );
    try {
      const { sweepId } = await service.startSweep({ ...PLAN, queue: { url: redis.url() } });
      await waitFor(sweepEnded(events, sweepId), 'the sweep to end');
      const state = await service.loadSweep({ sweepId });
      expect(state.trials.map((t) => t.status)).toEqual(['failed', 'failed', 'failed', 'done']);
      expect(state.trials[0].error).toMatch(/weights\.bin: truncated/);
      expect(state.trials[1].error).toMatch(/holds FusedLSTM\(12\), but the trial is FusedLSTM\(8\)/);
      expect(state.trials[2].error).toMatch(/do not match the checksum/);
      expect(trialRunsOnDisk(runsDir)).toEqual([state.trials[3].runId]);
    } finally {
      await fake.close();
      keys.disconnect();
    }
  });

  it('keeps two studios’ sweeps on one Redis apart: each follows and imports only its own trials', async () => {
    await startWorkers(2, 'shared');
    const a = newService('studio-a');
    const b = newService('studio-b');
    const [startedA, startedB] = await Promise.all([
      a.service.startSweep({ ...PLAN, name: 'from A', seedsPerConfig: 1, queue: { url: redis.url() } }),
      b.service.startSweep({ ...PLAN, name: 'from B', seedsPerConfig: 1, queue: { url: redis.url() } }),
    ]);
    await waitFor(sweepEnded(a.events, startedA.sweepId), 'sweep A to end');
    await waitFor(sweepEnded(b.events, startedB.sweepId), 'sweep B to end');
    const [stateA, stateB] = await Promise.all([a.service.loadSweep(startedA), b.service.loadSweep(startedB)]);
    expect(stateA.queue?.namespace).not.toEqual(stateB.queue?.namespace);
    for (const [state, studio] of [
      [stateA, a],
      [stateB, b],
    ] as const) {
      expect(state.trials.map((t) => t.status)).toEqual(['done', 'done']);
      expect(trialRunsOnDisk(studio.runsDir).sort()).toEqual(state.trials.map((t) => t.runId).sort());
      const names = (await studio.service.listRuns()).map((r) => r.name);
      expect(names.every((n) => n.startsWith(state.name))).toBe(true);
    }
  });

  it('reattaches on the next start after the studio closed mid-sweep, and imports what the workers finished meanwhile', async () => {
    const [only] = await startWorkers(1, 'c');
    const first = newService('closed');
    const { sweepId } = await first.service.startSweep({ ...PLAN, queue: { url: redis.url() } });
    await waitForState(
      first.service,
      sweepId,
      (s) => s.trials[0].status === 'done' && s.trials[1].status === 'running',
      'trial 1 imported, trial 2 running',
    );
    await first.service.dispose();
    services.splice(services.indexOf(first.service), 1);
    // The worker goes on without the studio.
    await waitFor(() => (only.output.match(/of “queued grid” {2}done/g) ?? []).length >= 4, 'the worker to finish every trial');
    const second = newService('closed', { reattach: true });
    expect(await second.service.reattached).toBe(sweepId);
    await waitFor(sweepEnded(second.events, sweepId), 'the reattached sweep to end');
    const state = await second.service.loadSweep({ sweepId });
    expect(state.trials.map((t) => t.status)).toEqual(['done', 'done', 'done', 'done']);
    const runIds = state.trials.map((t) => t.runId);
    expect(new Set(runIds).size).toBe(4);
    expect(trialRunsOnDisk(second.runsDir).sort()).toEqual([...runIds].sort());
  });

  it('runs a plan on workers from the command line (npm run sweep -- --queue URL), the password never printed', async () => {
    const [worker] = await startWorkers(1, 'cli');
    const home = path.join(root, 'cli-home');
    const file = path.join(root, 'cli-plan.json');
    writeFileSync(file, JSON.stringify({ ...PLAN, name: 'cli on workers', seedsPerConfig: 1 }));
    const result = await runCli('sweep.mjs', ['--config', file, '--queue', redis.url(), '--data-dir', dataDir], home);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`on the workers of redis://:***@127.0.0.1:${redis.port}/0`);
    expect(result.stdout).toMatch(/trial 1\/2 {2}units=8 seed=3 {2}on cli-1/);
    expect(result.stdout).toMatch(/trial 2\/2 {2}units=12 seed=3 {2}done {2}best val .* on cli-1/);
    expect(readdirSync(path.join(home, 'runs'))).toHaveLength(2);
    const unreachable = await runCli('sweep.mjs', ['--config', file, '--queue', `redis://:hunter2@127.0.0.1:${await freePort()}/0`], home);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1/);
    for (const text of [result.stdout, result.stderr, unreachable.stdout, unreachable.stderr, worker.output]) {
      expect(text).not.toContain(redis.password);
      expect(text).not.toContain('hunter2');
    }
  });
});
