/**
 * `npm run bench -- --queue`: one 12-trial sweep of the classic model, on this machine's trainer
 * and then on 1, 2 and 3 worker processes (out/cli/worker.mjs) through BullMQ on a redis-server
 * the bench starts on loopback. On one machine the workers share its cores, so the figures show
 * what the queue costs, not a speed-up: the sweep's wall time, a trial's median, and per trial
 * the time from a worker taking it to its first progress report (the worker's start of the run),
 * from one trial's end to the next one's first progress on the same worker (the gap between
 * trials; here, from one run's end to the next one's start), from enqueueing to the
 * first progress for the trials that needed no wait, and from the worker's result to the run
 * imported into the studio's runs folder. Times are the bench's own clock as the events reach it.
 */
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import path from 'node:path';
import type { StudioEvent } from '../common/api';
import { DEFAULT_HYPERPARAMS } from '../common/api';
import type { SweepPlanInput } from '../common/sweep';
import { formatDuration } from '../main/cli/progress';
import { TrialReportSchema } from '../main/queue/codec';
import { QUEUE_NAME } from '../main/queue/names';
import { StudioService } from '../main/service/service';
import { WorkerProcess } from '../test/support/queue-workers';
import { RedisServer } from '../test/support/redis-server';
import { median, tempDir } from './bench-measure';
import { fmt } from './bench-modes';

export interface QueueRound {
  /** 0: this machine's own trainer, no queue. */
  workers: number;
  trials: number;
  wallMs: number;
  trialMedianMs: number;
  /** Medians (and largest) over trials, ms; null on this machine. */
  pickupToProgress: Spread | null;
  /** One trial's end to the next one's first progress on the same worker (here: a run's `done` to the next `started`). */
  betweenTrials: Spread | null;
  enqueueToProgress: Spread | null;
  resultToImported: Spread | null;
}

export interface Spread {
  medianMs: number;
  maxMs: number;
}

/** Twelve trials: four learning rates × three seeds of the classic configuration. */
export function queuePlan(iterations: number): SweepPlanInput {
  return {
    name: 'bench: classic model on workers',
    base: { ...DEFAULT_HYPERPARAMS, budget: iterations, validationInterval: 0, seed: 1 },
    vary: { learningRate: { mode: 'list', values: [0.0005, 0.001, 0.002, 0.004] } },
    seedsPerConfig: 3,
    testLimit: 1000,
  };
}

export async function measureQueue(dataDir: string, workerCounts: number[], iterations: number): Promise<QueueRound[]> {
  const redis = await RedisServer.start();
  try {
    const rounds = [await round(dataDir, redis, 0, iterations)];
    for (const workers of workerCounts) rounds.push(await round(dataDir, redis, workers, iterations));
    return rounds;
  } finally {
    await redis.dispose();
  }
}

async function round(dataDir: string, redis: RedisServer, workerCount: number, iterations: number): Promise<QueueRound> {
  const runs = tempDir('lstm-bench-queue-');
  const workers = Array.from({ length: workerCount }, (_, i) => new WorkerProcess({ url: redis.url(), name: `bench-${i + 1}`, dataDir }));
  const service = new StudioService({
    dataDir,
    runsDir: path.join(runs.dir, 'runs'),
    predictorWorker: false,
    queueSweeps: { reattach: false, reconcileMs: 2_000 },
  });
  const watcher = new Redis({ host: '127.0.0.1', port: redis.port, password: redis.password ?? undefined, maxRetriesPerRequest: null });
  const events = new QueueEvents(QUEUE_NAME, { connection: watcher });
  try {
    await Promise.all([service.getStatus(), ...workers.map((w) => w.ready()), events.waitUntilReady()]);
    const times = new Map<string, { enqueued?: number; active?: number; worker?: string; firstProgress?: number; completed?: number }>();
    const at = (jobId: string) => times.get(jobId) ?? times.set(jobId, {}).get(jobId)!;
    events.on('waiting', ({ jobId }) => (at(jobId).enqueued ??= performance.now()));
    events.on('active', ({ jobId }) => (at(jobId).active = performance.now()));
    events.on('completed', ({ jobId }) => (at(jobId).completed = performance.now()));
    events.on('progress', ({ jobId, data }) => {
      const report = TrialReportSchema.safeParse(data);
      if (!report.success) return;
      if (report.data.type === 'claimed') at(jobId).worker = report.data.worker;
      if (report.data.type === 'started' || report.data.type === 'progress') at(jobId).firstProgress ??= performance.now();
    });
    const imported = new Map<number, number>();
    const localGaps: number[] = [];
    let lastDone: number | null = null;
    const ended = new Promise<string>((resolve) => {
      service.onEvent((event: StudioEvent) => {
        if (event.type === 'done') lastDone = performance.now();
        if (event.type === 'started' && lastDone !== null) localGaps.push(performance.now() - lastDone);
        if (event.type !== 'sweep' || event.isProgressOnly) return;
        const seen = performance.now();
        void service.loadSweep({ sweepId: event.sweepId }).then((state) => {
          for (const t of state.trials) if (t.status === 'done' && !imported.has(t.index)) imported.set(t.index, seen);
        });
        if (event.status !== 'running') resolve(event.sweepId);
      });
    });
    const plan = queuePlan(iterations);
    const t0 = performance.now();
    await service.startSweep(workerCount > 0 ? { ...plan, queue: { url: redis.url() } } : plan);
    const sweepId = await ended;
    const wallMs = performance.now() - t0;
    const state = await service.loadSweep({ sweepId });
    const trialMedianMs = median(state.trials.map((t) => t.wallMs));
    const spread = (values: number[]): Spread | null =>
      values.length === 0 ? null : { medianMs: median(values), maxMs: Math.max(...values) };
    if (workerCount === 0) {
      const base = { workers: 0, trials: state.trials.length, wallMs, trialMedianMs, betweenTrials: spread(localGaps) };
      return { ...base, pickupToProgress: null, enqueueToProgress: null, resultToImported: null };
    }
    const jobs = [...times.entries()]
      .filter(([id]) => id.startsWith(state.queue?.namespace ?? '-'))
      .map(([id, t]) => ({ trial: Number(id.split('.t').pop()), ...t }));
    const gaps: number[] = [];
    for (const job of jobs) {
      const start = job.firstProgress;
      if (start === undefined) continue;
      const before = jobs.filter((j) => j !== job && j.worker === job.worker && j.completed !== undefined && j.completed <= start);
      const last = Math.max(...before.map((j) => j.completed ?? -Infinity));
      if (Number.isFinite(last)) gaps.push(start - last);
    }
    return {
      workers: workerCount,
      trials: state.trials.length,
      wallMs,
      trialMedianMs,
      pickupToProgress: spread(
        jobs.flatMap((j) => (j.active !== undefined && j.firstProgress !== undefined ? [j.firstProgress - j.active] : [])),
      ),
      betweenTrials: spread(gaps),
      // The first `workerCount` trials found a worker free: for them enqueue → first progress is the queue's whole start-up cost.
      enqueueToProgress: spread(
        jobs
          .filter((j) => j.trial < workerCount)
          .flatMap((j) => (j.enqueued !== undefined && j.firstProgress !== undefined ? [j.firstProgress - j.enqueued] : [])),
      ),
      resultToImported: spread(
        jobs.flatMap((j) => (j.completed !== undefined && imported.has(j.trial) ? [(imported.get(j.trial) ?? 0) - j.completed] : [])),
      ),
    };
  } finally {
    await events.close();
    watcher.disconnect();
    await Promise.all(workers.map((w) => w.stop()));
    await service.dispose();
    runs.remove();
  }
}

export function queueLines(rounds: QueueRound[], iterations: number): string[] {
  const ms = (s: Spread | null) => (s ? `${fmt(s.medianMs, 0)} ms (max ${fmt(s.maxMs, 0)})` : '-');
  const local = rounds.find((r) => r.workers === 0);
  return [
    `Sweep of ${rounds[0]?.trials ?? 0} trials of the classic model (LSTM 128, batch 128), ${iterations} iterations each, 1,000 test images;`,
    'every worker on this one machine, sharing its cores: the figures show the queue’s overhead, not a speed-up.',
    '',
    `${'where'.padEnd(14)}${'wall'.padEnd(9)}${'vs here'.padEnd(9)}${'trial (median)'.padEnd(16)}${'pick-up → 1st progress'.padEnd(26)}${'between trials'.padEnd(22)}${'enqueue → 1st progress'.padEnd(26)}result → imported`,
    ...rounds.map((r) =>
      [
        (r.workers === 0 ? 'this machine' : `${r.workers} worker${r.workers > 1 ? 's' : ''}`).padEnd(14),
        formatDuration(r.wallMs).padEnd(9),
        (local ? `${fmt(r.wallMs / local.wallMs, 2)}×` : '-').padEnd(9),
        `${fmt(r.trialMedianMs / 1000, 1)} s`.padEnd(16),
        ms(r.pickupToProgress).padEnd(26),
        ms(r.betweenTrials).padEnd(22),
        ms(r.enqueueToProgress).padEnd(26),
        ms(r.resultToImported),
      ].join(''),
    ),
  ];
}
