/**
 * The measurements behind `npm run bench`: training throughput of the classic configuration
 * (single-thread and two-thread steppers), dataset load times, single-image predict latency
 * through the real Predictor, and a full 5-epoch run. Each function prints nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendName, Hyperparams, RunFinishedEvent, RunRecord } from '../common/api';
import { DEFAULT_HYPERPARAMS, HyperparamsSchema, StartRequestSchema } from '../common/api';
import type { MnistDataset, Split } from '../main/engine/data/dataset';
import { gatherBatch, loadDataset } from '../main/engine/data/dataset';
import { trainRun } from '../main/engine/engine';
import { buildModel, makeOptimizer } from '../main/engine/model';
import { modelToFiles } from '../main/engine/model-io';
import { Predictor } from '../main/engine/predictor';
import { RunStore } from '../main/store/store';
import { createStepper } from '../main/engine/train-step';
import { BatchSource } from '../main/engine/data/batches';
import { isAugmenting } from '../common/augment';

/** How steps are computed: on this thread alone, or split with the gradient helper thread. */
export type Variant = 'single' | 'parallel';

export interface Throughput {
  variant: Variant;
  /** samples/s of each repeat, in order. */
  repeats: number[];
  /** Share of the machine's CPU time that OTHER processes used during each repeat, 0–1. */
  foreign: number[];
  samplesPerSec: number;
  msPerIteration: number;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A fresh temporary folder, and a function that removes it. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Cold load (no cache: IDX parse, verify, write cache) and cached load, in a fresh data folder. */
export async function measureLoad(): Promise<{ dataset: MnistDataset; coldMs: number; cachedMs: number }> {
  const temp = tempDir('bench-data-');
  try {
    let t0 = performance.now();
    await loadDataset({ dataDir: temp.dir });
    const coldMs = performance.now() - t0;
    t0 = performance.now();
    const dataset = await loadDataset({ dataDir: temp.dir });
    return { dataset, coldMs, cachedMs: performance.now() - t0 };
  } finally {
    temp.remove();
  }
}

/** Clock ticks per second in /proc/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** Wall time, machine-wide busy CPU seconds (incl. steal) and this process's CPU seconds. */
function cpuSnapshot(): { wallS: number; busyS: number; ownS: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    const own = process.cpuUsage();
    return {
      wallS: performance.now() / 1000,
      busyS: (user + nice + system + irq + softirq + steal) / TICKS_PER_S,
      ownS: (own.user + own.system) / 1e6,
    };
  } catch {
    return null;
  }
}

/** The share of all CPUs that other processes (and the hypervisor) took between two snapshots; NaN off Linux. */
function foreignShare(from: ReturnType<typeof cpuSnapshot>, to: ReturnType<typeof cpuSnapshot>): number {
  if (!from || !to) return Number.NaN;
  const wallS = to.wallS - from.wallS;
  return Math.max(0, (to.busyS - from.busyS - (to.ownS - from.ownS)) / (wallS * os.cpus().length));
}

/**
 * Waits (at most `maxWaitS`) until other processes use under 5 % of the machine for a second,
 * as the PyTorch peer does before each timing: this machine is shared. Returns seconds waited.
 */
export async function waitQuiet(maxWaitS: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const from = cpuSnapshot();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const waitedS = (performance.now() - t0) / 1000;
    if (!(foreignShare(from, cpuSnapshot()) >= 0.05) || waitedS >= maxWaitS) return waitedS;
  }
}

/**
 * Samples/s of one repeat: `warmup` untimed steps, then `iterations` timed ones, on real batches
 * drawn as the engine draws them (augmented when `hp` asks for it).
 */
export async function timeRepeat(
  train: Split,
  hp: Hyperparams,
  variant: Variant,
  backend: BackendName,
  seed: number,
  warmup: number,
  iterations: number,
): Promise<{ rate: number; foreign: number; cpuMsPerSample: number }> {
  const model = buildModel(hp, seed);
  const optimizer = makeOptimizer(hp);
  const stepper = createStepper(model, optimizer, variant === 'parallel' ? { hyperparams: hp, seed, backend } : undefined);
  const source = new BatchSource(train, hp.batchSize, seed, isAugmenting(hp) ? hp : null);
  const batchAt = (it: number) => source.batch(it);
  try {
    for (let it = 0; it < warmup; it++) await stepper.step(batchAt(it), it % 10 === 9);
    const snapshot = cpuSnapshot();
    const ownCpu = process.cpuUsage();
    const t0 = performance.now();
    for (let it = warmup; it < warmup + iterations; it++) await stepper.step(batchAt(it), it % 10 === 9);
    const rate = (iterations * hp.batchSize) / ((performance.now() - t0) / 1000);
    // This process's CPU time (both training threads): what a step costs in work, which a busy
    // neighbour stretches far less than it stretches the wall clock.
    const cpu = process.cpuUsage(ownCpu);
    const cpuMsPerSample = (cpu.user + cpu.system) / 1000 / (iterations * hp.batchSize);
    return { rate, foreign: foreignShare(snapshot, cpuSnapshot()), cpuMsPerSample };
  } finally {
    stepper.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * Throughput of each variant on `options.hyperparams` (the classic configuration by default), the
 * variants interleaved within each repeat so that a change in machine load hits them alike.
 */
export async function measureThroughput(
  train: Split,
  backend: BackendName,
  variants: Variant[],
  options: { warmup: number; iterations: number; repeats: number; quietWaitS: number; hyperparams?: Hyperparams },
): Promise<Throughput[]> {
  const hp = options.hyperparams ?? { ...DEFAULT_HYPERPARAMS, seed: 1 };
  const results = new Map<Variant, { rate: number; foreign: number }[]>(variants.map((v) => [v, []]));
  for (let r = 0; r < options.repeats; r++) {
    for (const variant of variants) {
      await waitQuiet(options.quietWaitS);
      results.get(variant)?.push(await timeRepeat(train, hp, variant, backend, 1 + r, options.warmup, options.iterations));
    }
  }
  return variants.map((variant) => {
    const runs = results.get(variant) ?? [];
    const samplesPerSec = median(runs.map((x) => x.rate));
    const foreign = runs.map((x) => x.foreign);
    return { variant, repeats: runs.map((x) => x.rate), foreign, samplesPerSec, msPerIteration: (1000 * hp.batchSize) / samplesPerSec };
  });
}

export function benchRecord(runId: string, backend: BackendName): RunRecord {
  return {
    formatVersion: 1,
    runId,
    name: 'bench',
    createdAt: new Date().toISOString(),
    hyperparams: DEFAULT_HYPERPARAMS,
    seed: 1,
    backend,
    iterations: 0,
    stopped: false,
    testAccuracy: null,
    testCount: 0,
    versions: { tfjs: tf.version.tfjs },
    elapsedMs: 0,
    history: { train: [], validation: [] },
    test: null,
  };
}

/**
 * Median ms of `calls` single-image predictions (probabilities and per-row answers) of a saved
 * model, through Predictor; with `call` 'inspect', of looking inside instead (gates and states,
 * row occlusion, saliency), which the Draw view asks for after each stroke.
 */
export async function measurePredict(
  test: Split,
  backend: BackendName,
  hyperparams: Hyperparams = DEFAULT_HYPERPARAMS,
  calls = 200,
  call: 'predict' | 'inspect' = 'predict',
): Promise<number> {
  const temp = tempDir('bench-runs-');
  const model = buildModel(hyperparams, 1);
  const predictor = new Predictor(new RunStore(temp.dir));
  try {
    await new RunStore(temp.dir).saveRun({ ...benchRecord('bench', backend), hyperparams }, await modelToFiles(model));
    const times: number[] = [];
    for (let i = 0; i < calls + 10; i++) {
      const pixels = gatherBatch(test, [i % test.count]).pixels;
      const t0 = performance.now();
      await (call === 'predict' ? predictor.predict('bench', pixels) : predictor.inspect('bench', pixels));
      if (i >= 10) times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    predictor.dispose();
    model.dispose();
    temp.remove();
  }
}

/** A full 5-epoch run of the classic configuration through the engine: wall time and test accuracy. */
export async function measureEpochs(
  dataset: MnistDataset,
  backend: BackendName,
  onLine: (line: string) => void,
): Promise<{ wallMs: number; done: RunFinishedEvent }> {
  const temp = tempDir('bench-epochs-');
  const hyperparams = HyperparamsSchema.parse({ budgetUnit: 'epochs', budget: 5, seed: 1 });
  let done: RunFinishedEvent | null = null;
  const t0 = performance.now();
  try {
    await trainRun('bench-epochs', StartRequestSchema.parse({ hyperparams }), {
      dataset,
      store: new RunStore(temp.dir),
      backend,
      versions: { tfjs: tf.version.tfjs },
      emit: (event) => {
        if (event.type === 'done') done = event;
        if (event.type === 'progress' && event.validation) {
          onLine(
            `  epoch ${event.epoch}, iteration ${event.iteration}: validation ${(100 * event.validation.accuracy).toFixed(2)} %, ${Math.round(event.samplesPerSec)} samples/s`,
          );
        }
      },
      isStopRequested: () => false,
      yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    });
  } finally {
    temp.remove();
  }
  if (!done) throw new Error('the 5-epoch run ended without a result');
  return { wallMs: performance.now() - t0, done };
}
