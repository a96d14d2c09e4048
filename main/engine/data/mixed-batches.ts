/**
 * Fine-tuning batches (issue 17): each batch is MNIST training images with a fixed share of the
 * person's fine-tune digits mixed in, oversampled (a few dozen digits recur across hundreds of
 * batches). Seeded and stateless in the digits' part: iteration i's digits depend on the seed
 * and i alone, so a resumed fine-tune sees exactly the batches it would have seen.
 */
import { PIXEL_COUNT } from '../../../common/api';
import type { Hyperparams } from '../../../common/api';
import type { Augmentation } from '../../../common/augment';
import { isAugmenting } from '../../../common/augment';
import { StudioError } from '../../../common/errors';
import { mulberry32, permutation } from '../rng';
import type { Batch, Split } from './batches';
import { BatchSource } from './batches';

/** What the engine draws its training batches from: plain MNIST, or MNIST mixed with personal digits. */
export interface TrainBatches {
  /** Replays the draws before 0-based `iteration` (a resume). */
  seek(iteration: number): void;
  /** The batch for 0-based `iteration`; call in order. */
  batch(iteration: number): Batch;
}

/** The personal digits a fine-tune mixes in, and their share of each batch. */
export interface PersonalMix {
  digits: readonly { label: number; pixels: ArrayLike<number> }[];
  /** 0–1: the share of each batch drawn from `digits`. */
  mixRatio: number;
}

/** Personal digits per batch: the mix ratio's share, at least one and always leaving room for MNIST. */
export function personalSlots(batchSize: number, mixRatio: number): number {
  if (batchSize < 2)
    throw new StudioError('invalid-input', `Fine-tuning mixes MNIST and your digits in each batch: a batch of ${batchSize} is too small.`);
  return Math.min(batchSize - 1, Math.max(1, Math.round(mixRatio * batchSize)));
}

/** A seed for the n-th pass over the personal digits, apart from the MNIST order's. */
function passSeed(seed: number, pass: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(pass + 1, 0x165667b1)) >>> 0;
}

/** Batches of `batchSize`: MNIST from `train` (seeded, as a run draws them) and `slots` fine-tune digits at the end. */
export class MixedBatchSource implements TrainBatches {
  private readonly mnist: BatchSource;
  private readonly slots: number;
  private readonly digitPixels: Float32Array;
  private readonly digitLabels: Int32Array;
  private readonly count: number;
  private readonly buffers: Batch;
  /** The pass over the personal digits whose order is in `order`; -1 before the first. */
  private pass = -1;
  private order: Uint32Array = new Uint32Array(0);

  constructor(
    train: Split,
    private readonly hp: Pick<Hyperparams, 'batchSize'> & Augmentation,
    private readonly seed: number,
    fineTune: PersonalMix,
  ) {
    this.slots = personalSlots(hp.batchSize, fineTune.mixRatio);
    this.mnist = new BatchSource(train, hp.batchSize - this.slots, seed, null);
    this.count = fineTune.digits.length;
    if (this.count === 0) throw new StudioError('invalid-input', 'Fine-tuning needs at least one digit in the fine-tune part.');
    this.digitPixels = new Float32Array(this.count * PIXEL_COUNT);
    this.digitLabels = new Int32Array(this.count);
    fineTune.digits.forEach((digit, i) => {
      this.digitPixels.set(digit.pixels, i * PIXEL_COUNT);
      this.digitLabels[i] = digit.label;
    });
    this.buffers = { pixels: new Float32Array(hp.batchSize * PIXEL_COUNT), labels: new Int32Array(hp.batchSize) };
  }

  seek(iteration: number): void {
    this.mnist.seek(iteration);
  }

  batch(iteration: number): Batch {
    const from = this.mnist.batch(iteration);
    const n = from.labels.length;
    const { pixels, labels } = this.buffers;
    pixels.set(from.pixels);
    labels.set(from.labels);
    for (let j = 0; j < this.slots; j++) {
      const digit = this.digitAt(iteration * this.slots + j);
      pixels.set(this.digitPixels.subarray(digit * PIXEL_COUNT, (digit + 1) * PIXEL_COUNT), (n + j) * PIXEL_COUNT);
      labels[n + j] = this.digitLabels[digit];
    }
    const size = n + this.slots;
    const batch = { pixels: pixels.subarray(0, size * PIXEL_COUNT), labels: labels.subarray(0, size) };
    // Every image of the batch, the person's too, is augmented as the parent's run augmented its own.
    return isAugmenting(this.hp) ? { ...batch, augment: { augmentation: this.hp, seed: this.seed, iteration } } : batch;
  }

  /** The personal digit at place `position` of an endless sequence of seeded passes over them all. */
  private digitAt(position: number): number {
    const pass = Math.floor(position / this.count);
    if (pass !== this.pass) {
      this.order = permutation(this.count, mulberry32(passSeed(this.seed, pass)));
      this.pass = pass;
    }
    return this.order[position % this.count];
  }
}

/** The batches a job trains on: plain MNIST, or for a fine-tune MNIST mixed with the fine-tune digits. */
export function trainBatches(train: Split, hp: Hyperparams, seed: number, mix?: PersonalMix): TrainBatches {
  return mix ? new MixedBatchSource(train, hp, seed, mix) : new BatchSource(train, hp.batchSize, seed, isAugmenting(hp) ? hp : null);
}
