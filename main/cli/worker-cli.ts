/**
 * `npm run worker -- --queue redis://…`: a machine that trains other studios' sweep trials.
 * It checks that Redis answers, starts the same trainer as `npm run train` (the CLI's service),
 * prints its backend and how fast it trains the classic model, then takes trials one at a time
 * (main/queue/worker-loop.ts) and prints each one's result as it finishes. SIGINT or SIGTERM
 * hands the trial in progress back to the queue and exits 0; a second one exits at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_HYPERPARAMS } from '../../common/api';
import type { StudioEvent } from '../../common/api';
import { parseRedisUrl } from '../../common/redis-url';
import type { RedisTarget } from '../../common/redis-url';
import { probeRedis } from '../queue/connection';
import { QUEUE_NAME } from '../queue/names';
import { TrialWorker } from '../queue/worker-loop';
import type { TrialTrainer } from '../queue/worker-loop';
import type { StudioService } from '../service/service';
import { createCliService } from './cli-service';
import { parseWorkerArgs, workerHelpText } from './worker-args';
import type { WorkerOptions } from './worker-args';

const EXIT_USAGE = 2;
const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;

async function runWorker(options: WorkerOptions, target: RedisTarget): Promise<number> {
  console.log(`LSTM Studio worker ${options.name}: trials from ${target.redacted} (queue ${QUEUE_NAME})`);
  await probeRedis(target);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'lstm-studio-worker-'));
  const { service } = createCliService({
    runsDir: scratch,
    dataDir: options.dataDir,
    mnistDir: options.mnistDir,
    backend: options.backend,
  });
  const status = await service.getStatus();
  if (!status.backend) throw new Error('The trainer did not start (no backend).');
  console.log(`Backend: ${status.backend}${status.backendNote ? ` (${status.backendNote})` : ''}`);
  if (options.calibrateIterations > 0) {
    const samplesPerSec = await measureSpeed(service, scratch, options.calibrateIterations);
    console.log(
      `Speed: ${Math.round(samplesPerSec).toLocaleString('en-US')} samples/s (the classic model, ${options.calibrateIterations} iterations)`,
    );
  }
  const trainer: TrialTrainer = {
    backend: status.backend,
    start: (runId, request) => service.host.start(runId, request),
    resume: (runId) => service.host.resume(runId),
    stop: () => service.host.stop(),
    onEvent: (callback) => service.host.onEvent(callback),
  };
  const worker = new TrialWorker({
    target,
    name: options.name,
    trainer,
    runsDir: scratch,
    timings: { lockMs: options.lockMs, stalledMs: options.stalledMs },
    print: (line) => console.log(line),
    warn: (message) => console.error(`Warning: ${message}`),
  });
  const finished = new Promise<number>((resolve) => {
    let signals = 0;
    const shutDown = (why: string, code: number) => {
      console.log(why);
      void worker
        .close()
        .then(() => service.dispose())
        .then(() => rm(scratch, { recursive: true, force: true }))
        .then(
          () => resolve(code),
          () => resolve(EXIT_FAILED),
        );
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(EXIT_INTERRUPTED);
      shutDown(`${signal}: handing the trial in progress (if any) back to the queue, then exiting.`, 0);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // The trainer gave up after a crash loop: nothing can train here any more (a service manager restarts us).
    service.host.onEvent((event: StudioEvent) => {
      if (event.type === 'error' && event.runId === null) shutDown(`The trainer stopped for good: ${event.message}`, EXIT_FAILED);
    });
  });
  await worker.start();
  console.log('Waiting for trials; Ctrl+C or SIGTERM stops this worker.');
  return finished;
}

/** Trains the classic model for `iterations` on a slice of the data; its samples/s. */
async function measureSpeed(service: StudioService, runsDir: string, iterations: number): Promise<number> {
  const runId = `speed-check-${process.pid}`;
  let samplesPerSec = 0;
  const done = new Promise<void>((resolve, reject) => {
    const off = service.host.onEvent((event) => {
      if (!('runId' in event) || event.runId !== runId) return;
      if (event.type === 'progress') samplesPerSec = event.samplesPerSec;
      if (event.type === 'done' || event.type === 'error') {
        off();
        if (event.type === 'done') resolve();
        else reject(new Error(`The speed check failed: ${event.message}`));
      }
    });
  });
  const hyperparams = { ...DEFAULT_HYPERPARAMS, budget: iterations, validationInterval: 0, seed: 1 };
  await service.host.start(runId, { hyperparams, trainLimit: hyperparams.batchSize * iterations, testLimit: 100, checkpointInterval: 0 });
  await done;
  await rm(path.join(runsDir, runId), { recursive: true, force: true });
  return samplesPerSec;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseWorkerArgs(argv);
  if (parsed.kind === 'help') {
    console.log(workerHelpText());
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    return EXIT_USAGE;
  }
  const check = parseRedisUrl(parsed.options.queueUrl);
  if (!check.ok) return EXIT_USAGE; // parseWorkerArgs has said why
  return runWorker(parsed.options, check.target);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(EXIT_FAILED);
  },
);
