/**
 * What training-time augmentation costs: the time to augment one batch on one thread, and the
 * classic configuration's two-thread throughput with and without it, interleaved repeat by
 * repeat so a change in machine load hits both alike.
 */
import type { BackendName, Hyperparams } from '../common/api';
import { DEFAULT_HYPERPARAMS } from '../common/api';
import type { Augmentation } from '../common/augment';
import type { AugmentWorkspace } from '../common/augment';
import { augmentBatch, augmentWorkspace } from '../common/augment';
import type { Split } from '../main/engine/data/dataset';
import { gatherBatch } from '../main/engine/data/dataset';
import { fastAugmentWorkspace } from '../main/engine/wasm';
import { median, timeRepeat } from './bench-measure';
import { fmt } from './bench-modes';

/** Every augmentation on at a moderate strength: the cost of the heaviest sensible setting. */
export const BENCH_AUGMENTATION: Augmentation = { rotation: 15, shear: 15, aspect: 0.15, thickness: 1, elastic: 2 };

export interface AugmentationCost {
  augmentation: Augmentation;
  /** Median ms to augment one batch of `batchSize` images on one thread, as training does (WebAssembly). */
  msPerBatch: number;
  /** The same with the JavaScript loops alone (what runs where WebAssembly SIMD is missing). */
  msPerBatchJs: number;
  batchSize: number;
  /** Two-thread samples/s without and with augmentation (medians of the interleaved repeats). */
  plain: number;
  augmented: number;
  /** Each repeat's change in %, augmented against the plain run right before it. */
  changes: number[];
  /** Median CPU ms per 1000 samples (both threads), without and with augmentation. */
  cpuPlain: number;
  cpuAugmented: number;
}

/** ms per batch of augmentBatch alone, on real training images. */
function timeAugmentation(train: Split, a: Augmentation, batchSize: number, work: AugmentWorkspace, batches = 40): number {
  const times: number[] = [];
  const indices = Array.from({ length: batchSize }, (_, i) => i);
  for (let b = 0; b < batches + 5; b++) {
    const { pixels } = gatherBatch(
      train,
      indices.map((i) => (i + b * batchSize) % train.count),
    );
    const t0 = performance.now();
    augmentBatch(pixels, batchSize, a, { seed: 1, iteration: b }, work);
    if (b >= 5) times.push(performance.now() - t0);
  }
  return median(times);
}

export async function measureAugmentation(
  train: Split,
  backend: BackendName,
  options: { warmup: number; iterations: number; repeats: number },
  augmentation: Augmentation = BENCH_AUGMENTATION,
): Promise<AugmentationCost> {
  const plainHp: Hyperparams = { ...DEFAULT_HYPERPARAMS, seed: 1 };
  const augmentedHp: Hyperparams = { ...plainHp, ...augmentation };
  const [plain, augmented, cpuPlain, cpuAugmented]: number[][] = [[], [], [], []];
  for (let r = 0; r < options.repeats; r++) {
    const without = await timeRepeat(train, plainHp, 'parallel', backend, 1 + r, options.warmup, options.iterations);
    const withIt = await timeRepeat(train, augmentedHp, 'parallel', backend, 1 + r, options.warmup, options.iterations);
    plain.push(without.rate);
    augmented.push(withIt.rate);
    cpuPlain.push(1000 * without.cpuMsPerSample);
    cpuAugmented.push(1000 * withIt.cpuMsPerSample);
  }
  return {
    augmentation,
    msPerBatch: timeAugmentation(train, augmentation, plainHp.batchSize, fastAugmentWorkspace()),
    msPerBatchJs: timeAugmentation(train, augmentation, plainHp.batchSize, augmentWorkspace()),
    batchSize: plainHp.batchSize,
    plain: median(plain),
    augmented: median(augmented),
    changes: plain.map((rate, i) => (100 * (augmented[i] - rate)) / rate),
    cpuPlain: median(cpuPlain),
    cpuAugmented: median(cpuAugmented),
  };
}

const signed = (percent: number): string => `${percent >= 0 ? '+' : ''}${fmt(percent, 1)}`;

/** The bench's rows for it. */
export function augmentationRows(cost: AugmentationCost): [string, string][] {
  const setting = Object.entries(cost.augmentation)
    .map(([field, value]) => `${field} ${value}`)
    .join(', ');
  const change = (100 * (cost.augmented - cost.plain)) / cost.plain;
  return [
    [
      'augmentation',
      `${setting}: ${fmt(cost.msPerBatch, 2)} ms per batch of ${cost.batchSize} on one thread (${fmt(cost.msPerBatchJs, 2)} ms with the JavaScript loops)`,
    ],
    [
      '  training with it',
      `${fmt(cost.augmented)} samples/s on two threads against ${fmt(cost.plain)} without (${signed(change)} %; pair by pair ${cost.changes.map(signed).join(', ')} %)`,
    ],
    [
      '  CPU time with it',
      `${fmt(cost.cpuAugmented)} ms per 1000 samples (both threads) against ${fmt(cost.cpuPlain)} without (${signed((100 * (cost.cpuAugmented - cost.cpuPlain)) / cost.cpuPlain)} %)`,
    ],
  ];
}
