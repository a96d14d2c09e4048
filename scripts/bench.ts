/**
 * `npm run bench` (bundled to out/cli/bench.mjs): how fast the engine trains the classic
 * configuration on this machine, one thread against two, and what else a person waits for.
 *
 *   node out/cli/bench.mjs [--iterations 100] [--warmup 20] [--repeats 3] [--backend wasm]
 *                          [--variant both|single|parallel] [--quiet-wait 30] [--json] [--compare-pytorch] [--epochs-check]
 *
 * The machine may be shared: before each timed repeat the bench waits (up to --quiet-wait s)
 * for other processes to go quiet, as the PyTorch peer does, and reports the share of CPU they
 * took during each repeat.
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BACKEND_ORDER, chooseBackend } from '../main/engine/backend';
import { matrixProductsInUse } from '../main/engine/wasm';
import { runGemm } from './bench-gemm';
import { configLine, fmt, repoRoot, runConfig, runMatrix } from './bench-modes';
import type { Throughput, Variant } from './bench-measure';
import { measureEpochs, measureLoad, measurePredict, measureThroughput } from './bench-measure';
import type { AugmentationCost } from './bench-augment';
import { augmentationRows, measureAugmentation } from './bench-augment';
import type { PeerResult } from './bench-peer';
import { runPeer } from './bench-peer';
import type { MainLoopResult } from './bench-main-loop';
import { measureMainLoop } from './bench-main-loop';
import { measureSweep, sweepLines } from './bench-sweep';
import { measureQueue, queueLines } from './bench-queue';

/** The service's dataset cache for the main-loop measurement; kept between bench runs. */
const BENCH_DATA_DIR = path.join(os.tmpdir(), 'lstm-studio-bench-data');

const OptionsSchema = z.object({
  iterations: z.coerce.number().int().min(1).max(100_000).default(100),
  warmup: z.coerce.number().int().min(0).max(10_000).default(20),
  repeats: z.coerce.number().int().min(1).max(100).default(3),
  backend: z.enum(['tensorflow', 'wasm', 'cpu']).optional(),
  variant: z.enum(['both', 'single', 'parallel']).default('both'),
  'quiet-wait': z.coerce.number().min(0).max(600).default(30),
  json: z.boolean().default(false),
  'compare-pytorch': z.boolean().default(false),
  'epochs-check': z.boolean().default(false),
  config: z.string().optional(),
  matrix: z.boolean().default(false),
  gemm: z.boolean().default(false),
  augmentation: z.boolean().default(false),
  sweep: z.string().optional(),
  queue: z.boolean().default(false),
  'queue-workers': z
    .string()
    .regex(/^[1-8](,[1-8])*$/, 'a list of worker counts, e.g. 1,2,3')
    .default('1,2,3'),
  'queue-iterations': z.coerce.number().int().min(10).max(10_000).default(50),
});
type Options = z.infer<typeof OptionsSchema>;

const HELP = `Usage: npm run bench -- [options]

Measures the classic configuration (LSTM 128, batch 128, Adam) on this machine and prints
samples/s, ms per iteration, single-image predict latency, dataset load times, peak RSS, and
what training-time augmentation costs (ms per batch; two-thread throughput with and without).

Options:
  --iterations N      timed iterations per repeat (default: 100)
  --warmup N          untimed iterations first (default: 20)
  --repeats N         repeats; the median is reported (default: 3)
  --variant V         single | parallel | both: one thread, two threads, or both (default: both)
  --backend B         tensorflow | wasm | cpu (default: the best available)
  --quiet-wait S      wait up to S seconds for other processes to go quiet before each repeat (default: 30)
  --compare-pytorch   also run the PyTorch peer (../shared/peer/torch_lstm.py) and print the ratio
  (always)            the main-process event-loop stall while the worker trains 300 iterations
  --epochs-check      also train 5 full epochs and report wall time and full-test accuracy
  --config K=V,...    measure one configuration instead: cell, units, layers, batch, dropout,
                      optimizer, lr, rotation, shear, aspect, thickness, elastic
                      (e.g. cell=gru,units=256,layers=2,batch=64,dropout=0.2); with
                      --compare-pytorch the peer is ../shared/peer/torch_rnn.py for the same cell,
                      units, layers and batch (it has no dropout and always uses Adam)
  --matrix            measure a grid of configurations spanning the form's range (scripts/bench-config.ts),
                      each in its own process, and print them as one table
  --gemm              the rate (GFLOP/s, one thread) of the wasm matrix products each configuration's
                      steps are made of, against the 128-bit SIMD ceiling: where the time goes off
                      the classic path
  --augmentation      only what training-time augmentation costs (the last two rows of the full bench),
                      with --repeats interleaved pairs of runs with and without it
  --sweep FILE        run a whole sweep plan (e.g. examples/sweep.json) through the service: wall time,
                      the gap between trials, the estimate against the truth, main-thread loop delay
  --queue             a 12-trial sweep of the classic model here, then on 1, 2 and 3 worker processes
                      through BullMQ on a redis-server it starts (Debian's): wall time, and per trial
                      the queue's overheads (pick-up → first progress, between trials, result → imported)
  --queue-workers L   the worker counts for --queue (default: 1,2,3)
  --queue-iterations N  iterations per trial for --queue (default: 50)
  --json              print one JSON report instead of the table
  --help              show this help`;

function parseOptions(argv: string[]): Options {
  if (argv.includes('--help')) {
    console.log(HELP);
    process.exit(0);
  }
  const text = { type: 'string' } as const;
  const flag = { type: 'boolean' } as const;
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      iterations: text,
      warmup: text,
      repeats: text,
      backend: text,
      variant: text,
      'quiet-wait': text,
      json: flag,
      'compare-pytorch': flag,
      'epochs-check': flag,
      config: text,
      matrix: flag,
      gemm: flag,
      augmentation: flag,
      sweep: text,
      queue: flag,
      'queue-workers': text,
      'queue-iterations': text,
    },
  });
  const parsed = OptionsSchema.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Peak resident memory of this process so far (trainer and helper threads together), MB. */
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

interface Report {
  backend: string;
  backendNote: string | null;
  /** What computes the matrix products on the wasm backend; null on the others. */
  matmul: string | null;
  load: { coldMs: number; cachedMs: number };
  throughput: Throughput[];
  predictMedianMs: number;
  /** Median ms of one `inspect` of the classic model (the Draw view's inside view). */
  inspectMedianMs: number;
  augmentation: AugmentationCost;
  tensors: { before: number; after: number };
  peakRssMb: number;
  loadAverage: number[];
  peer?: PeerResult;
  mainLoop?: MainLoopResult[];
  epochs?: { wallMs: number; testAccuracy: number; iterations: number };
}

function printReport(report: Report, options: Options): void {
  const rows: [string, string][] = [['backend', report.backend]];
  if (report.backendNote) rows.push(['note', report.backendNote]);
  if (report.matmul) rows.push(['matrix products', report.matmul]);
  for (const t of report.throughput) {
    const all = t.repeats.map((r, i) => `${fmt(r)} [${fmt(100 * t.foreign[i])} % foreign CPU]`).join(', ');
    rows.push([
      `${t.variant} samples/s`,
      `${fmt(t.samplesPerSec)} (median of ${all}; ${options.iterations} iterations after ${options.warmup} warm-up)`,
    ]);
    rows.push([`${t.variant} ms/iteration`, fmt(t.msPerIteration, 1)]);
  }
  rows.push(['predict, 1 image', `${fmt(report.predictMedianMs, 2)} ms median`]);
  rows.push([
    'inside the LSTM, 1 image',
    `${fmt(report.inspectMedianMs, 1)} ms median (gates and states of 28 rows, row occlusion, saliency)`,
  ]);
  rows.push(...augmentationRows(report.augmentation));
  rows.push(['dataset load', `${fmt(report.load.coldMs)} ms cold (IDX parse + cache write), ${fmt(report.load.cachedMs)} ms cached`]);
  rows.push(['peak RSS', `${fmt(report.peakRssMb)} MB (whole process: trainer and helper threads)`]);
  rows.push(['tensors', `${report.tensors.before} before, ${report.tensors.after} after`]);
  rows.push(['load average', report.loadAverage.map((l) => fmt(l, 2)).join(' ')]);
  for (const m of report.mainLoop ?? []) rows.push(...mainLoopRows(m, report.mainLoop?.[0]));
  if (report.peer) rows.push(...peerRows(report.peer, report.throughput));
  if (report.epochs) {
    const e = report.epochs;
    rows.push([
      '5 epochs',
      `${fmt(e.wallMs / 1000, 1)} s wall, ${e.iterations} iterations, test accuracy ${fmt(100 * e.testAccuracy, 2)} % (10,000 images)`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
}

/** The service-level figures of one training run; `baseline` is the run without predictions. */
function mainLoopRows(m: MainLoopResult, baseline: MainLoopResult | undefined): [string, string][] {
  const label =
    m.predictOn === 'none'
      ? 'training alone'
      : m.predictOn === 'own worker'
        ? 'predicting on its own worker'
        : 'predicting on the trainer thread';
  const change =
    baseline && m !== baseline ? ` (${fmt((100 * m.trainSamplesPerSec) / baseline.trainSamplesPerSec - 100, 1)} % vs training alone)` : '';
  const rows: [string, string][] = [
    [
      `main loop, ${label}`,
      `max ${fmt(m.maxMs, 1)} ms, p99 ${fmt(m.p99Ms, 1)} ms stall over ${m.iterations} iterations (${m.events} events relayed); training ${fmt(m.trainSamplesPerSec)} samples/s${change}`,
    ],
  ];
  const p = m.predict;
  if (p) {
    rows.push([
      `  predict while training`,
      `median ${fmt(p.medianMs, 2)} ms, p95 ${fmt(p.p95Ms, 1)} ms, p99 ${fmt(p.p99Ms, 1)} ms, max ${fmt(p.maxMs, 1)} ms over ${p.calls} calls (one per 20 ms)`,
    ]);
  }
  return rows;
}

function peerRows(peer: PeerResult, ours: Throughput[]): [string, string][] {
  if (!peer.ok) return [['PyTorch', peer.message]];
  const clean = peer.isClean ? '' : ' (no clean repeat: the machine was busy)';
  const rows: [string, string][] = [[`PyTorch ${peer.torch}`, `${fmt(peer.samplesPerSec)} samples/s on ${peer.threads} threads${clean}`]];
  for (const t of ours) rows.push([`ratio ${t.variant}`, `${fmt(t.samplesPerSec / peer.samplesPerSec, 2)}× PyTorch`]);
  return rows;
}

/** Which matrix multiply the wasm steps used (the bench's own thread; the helper thread decides the same way). */
const matmulPath = matrixProductsInUse;

/** `--augmentation`: the augmentation rows alone, so a change to common/augment.ts is quick to measure. */
async function runAugmentation(options: Options): Promise<void> {
  const choice = await chooseBackend(options.backend ? [options.backend] : BACKEND_ORDER);
  const { dataset } = await measureLoad();
  const cost = await measureAugmentation(dataset.train, choice.backend, options);
  if (options.json) return void console.log(JSON.stringify(cost));
  const rows: [string, string][] = [['backend', choice.backend], ...augmentationRows(cost)];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.matrix) return void runMatrix(options);
  if (options.gemm) return void (await runGemm());
  if (options.augmentation) return void (await runAugmentation(options));
  if (options.queue) {
    const counts = options['queue-workers'].split(',').map(Number);
    const rounds = await measureQueue(BENCH_DATA_DIR, counts, options['queue-iterations']);
    return void console.log(options.json ? JSON.stringify(rounds) : queueLines(rounds, options['queue-iterations']).join('\n'));
  }
  if (options.sweep !== undefined) {
    const bench = await measureSweep(BENCH_DATA_DIR, options.sweep);
    return void console.log(options.json ? JSON.stringify(bench) : sweepLines(bench, options.sweep).join('\n'));
  }
  if (options.config !== undefined) {
    const report = await runConfig(options);
    return void console.log(options.json ? JSON.stringify(report) : configLine(report));
  }
  const log = (line: string) => (options.json ? undefined : console.log(line));
  const choice = await chooseBackend(options.backend ? [options.backend] : BACKEND_ORDER);
  log(
    `backend: ${choice.backend}; measuring (load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}) …`,
  );
  const { dataset, coldMs, cachedMs } = await measureLoad();
  const variants: Variant[] = options.variant === 'both' ? ['single', 'parallel'] : [options.variant];
  const before = tf.memory().numTensors;
  const throughput = await measureThroughput(dataset.train, choice.backend, variants, { ...options, quietWaitS: options['quiet-wait'] });
  const predictMedianMs = await measurePredict(dataset.test, choice.backend);
  const inspectMedianMs = await measurePredict(dataset.test, choice.backend, undefined, 50, 'inspect');
  log('training with and without augmentation …');
  const augmentation = await measureAugmentation(dataset.train, choice.backend, options);
  const report: Report = {
    backend: choice.backend,
    backendNote: choice.note,
    matmul: matmulPath(choice.backend),
    load: { coldMs, cachedMs },
    throughput,
    predictMedianMs,
    inspectMedianMs,
    augmentation,
    tensors: { before, after: tf.memory().numTensors },
    peakRssMb: peakRssMb(),
    loadAverage: os.loadavg(),
  };
  log(
    "training through the service three times (alone, predicting on the predictor's worker, predicting on the trainer's thread), watching this (main) thread's event loop …",
  );
  report.mainLoop = [];
  for (const on of ['none', 'own worker', 'trainer thread'] as const) report.mainLoop.push(await measureMainLoop(BENCH_DATA_DIR, on));
  if (options['compare-pytorch']) {
    log('running the PyTorch peer (it waits for a quiet machine) …');
    const root = repoRoot();
    report.peer = runPeer(root, 2, options['quiet-wait']);
  }
  if (options['epochs-check']) {
    log('training 5 epochs of the classic configuration …');
    const { wallMs, done } = await measureEpochs(dataset, choice.backend, log);
    report.epochs = { wallMs, testAccuracy: done.test.accuracy, iterations: done.iterations };
  }
  if (options.json) console.log(JSON.stringify(report));
  else printReport(report, options);
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
