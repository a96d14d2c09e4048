/**
 * Batches from splits: the float32 copy of the chosen images, views on a range of a split, and
 * the order batches are drawn in (seeded, reshuffled each epoch, repeatable from any iteration).
 */
import { PIXEL_COUNT } from '../../../common/api';
import { StudioError } from '../../../common/errors';
import type { Augmentation, AugmentWorkspace } from '../../../common/augment';
import { augmentBatch } from '../../../common/augment';
import { mulberry32, permutation } from '../rng';

/** A run of images and their labels. Arrays may be views on a larger buffer. */
export interface Split {
  /** `count × 784` bytes, row-major 28×28 images, 0–255. */
  images: Uint8Array;
  /** `count` bytes, 0–9. */
  labels: Uint8Array;
  count: number;
}

/** A batch for the model. */
export interface Batch {
  /** `[n, 784]` flattened, row-major, 0–1. */
  pixels: Float32Array;
  /** `[n]`, 0–9. */
  labels: Int32Array;
  /**
   * Set when the images are still to be augmented (common/augment.ts): the stepper augments
   * them in place, each training thread its own part, so that the cost is split like the step.
   */
  augment?: BatchAugment;
}

/** How a batch's images are to be augmented: image i gets the transform for (seed, iteration, i). */
export interface BatchAugment {
  augmentation: Augmentation;
  seed: number;
  /** 0-based. */
  iteration: number;
}

/** Augments images first … first + count − 1 of a batch whose pixels start at image `first` (in place). */
export function augmentPart(pixels: Float32Array, first: number, count: number, augment: BatchAugment, work: AugmentWorkspace): void {
  augmentBatch(pixels, count, augment.augmentation, { seed: augment.seed, iteration: augment.iteration, first }, work);
}

/** value / 255 as float32 for each byte value: one lookup per pixel in the hot loop. */
const PIXEL_SCALE = Float32Array.from({ length: 256 }, (_, value) => value / 255);

/**
 * Converts the chosen images to float32 for the model, leaving the rest as uint8.
 * @param indices image numbers within `split`
 * @param out buffers to fill and return, sized for at least `indices.length` images, so the
 *   training loop allocates nothing per batch; when larger, views of the right length come back
 * @returns pixels `[n, 784]` flattened, 0–1; labels `[n]`, 0–9
 */
export function gatherBatch(split: Split, indices: ArrayLike<number>, out?: Batch): Batch {
  const n = indices.length;
  const pixels = out ? fitBuffer(out.pixels, n * PIXEL_COUNT) : new Float32Array(n * PIXEL_COUNT);
  const labels = out ? fitBuffer(out.labels, n) : new Int32Array(n);
  const { images, count } = split;
  for (let i = 0; i < n; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new StudioError('invalid-input', `gatherBatch: index ${index} (at ${i}) is outside 0–${count - 1}`);
    }
    const from = index * PIXEL_COUNT;
    const to = i * PIXEL_COUNT;
    for (let k = 0; k < PIXEL_COUNT; k++) pixels[to + k] = PIXEL_SCALE[images[from + k]];
    labels[i] = split.labels[index];
  }
  return { pixels, labels };
}

/** Images `start … start + count − 1` of `split`, as views (no copy). */
export function sliceSplit(split: Split, start: number, count: number): Split {
  const isValid = Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0;
  if (!isValid || start + count > split.count) {
    const asked = `${start}…${start + count - 1}`;
    throw new StudioError('invalid-input', `sliceSplit: images ${asked} are outside 0–${split.count - 1}`);
  }
  const images = split.images.subarray(start * PIXEL_COUNT, (start + count) * PIXEL_COUNT);
  return { images, labels: split.labels.subarray(start, start + count), count };
}

function fitBuffer<T extends Float32Array | Int32Array>(buffer: T, length: number): T {
  if (buffer.length === length) return buffer;
  if (buffer.length > length) return buffer.subarray(0, length) as T;
  throw new StudioError('internal', `gatherBatch: out holds ${buffer.length} values, ${length} are needed`);
}

/**
 * Draws batches in a seeded order, reshuffled each epoch; the last batch of an epoch may be
 * short. With `augmentation` on, each batch says how its images are to be augmented (see
 * `Batch.augment`): by transforms drawn from the seed, the iteration and each image's place
 * in the batch alone, so a resumed run sees exactly the images it would have seen.
 */
export class BatchSource {
  private order: Uint32Array = new Uint32Array(0);
  private readonly random: () => number;
  private readonly buffers: Batch;

  constructor(
    private readonly split: Split,
    private readonly batchSize: number,
    private readonly seed: number,
    private readonly augmentation: Augmentation | null = null,
  ) {
    this.random = mulberry32(seed);
    this.buffers = { pixels: new Float32Array(batchSize * 784), labels: new Int32Array(batchSize) };
  }

  get perEpoch(): number {
    return Math.ceil(this.split.count / this.batchSize);
  }

  /**
   * Replays the shuffles of the epochs before 0-based `iteration`, so that a resumed run draws
   * exactly the batches it would have drawn had it never stopped.
   */
  seek(iteration: number): void {
    for (let epoch = 0; epoch < Math.ceil(iteration / this.perEpoch); epoch++) {
      this.order = permutation(this.split.count, this.random);
    }
  }

  /** The batch for 0-based `iteration`; call in order (a new epoch reshuffles). */
  batch(iteration: number): Batch {
    const slot = iteration % this.perEpoch;
    if (slot === 0) this.order = permutation(this.split.count, this.random);
    const indices = this.order.subarray(slot * this.batchSize, Math.min((slot + 1) * this.batchSize, this.split.count));
    const batch = gatherBatch(this.split, indices, this.buffers);
    return this.augmentation ? { ...batch, augment: { augmentation: this.augmentation, seed: this.seed, iteration } } : batch;
  }
}
