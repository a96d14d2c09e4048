/** The order batches are drawn in: seeded, reshuffled each epoch, repeatable from any iteration. */
import type { Batch, Split } from './dataset';
import { gatherBatch } from './dataset';
import { mulberry32, permutation } from './rng';

/** Draws batches in a seeded order, reshuffled each epoch; the last batch of an epoch may be short. */
export class BatchSource {
  private order: Uint32Array = new Uint32Array(0);
  private readonly random: () => number;
  private readonly buffers: Batch;

  constructor(private readonly split: Split, private readonly batchSize: number, seed: number) {
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
    return gatherBatch(this.split, indices, this.buffers);
  }
}

