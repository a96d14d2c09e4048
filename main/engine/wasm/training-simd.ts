/**
 * The training SIMD module (training-simd.wat) instantiated on a WebAssembly memory: the LSTM
 * cell loops and the Adam update. Compiled once; null where this runtime has no WebAssembly SIMD.
 */
import { TRAINING_SIMD_BASE64 } from './training-simd.generated';
import { perMemory } from './wasm-module';

/** The module's exports; every pointer is a byte offset into the memory it was given. */
export interface TrainingSimd {
  cellState(s: number, cPrev: number, c: number, c2: number, batch: number, units: number, hasPrev: number): void;
  cellOutput(s: number, sc: number, tanhC: number, h: number, batch: number, units: number): void;
  cellBackward(
    dh: number,
    dc: number,
    s: number,
    cPrev: number,
    tanhC: number,
    dz: number,
    batch: number,
    units: number,
    hasPrev: number,
    dzT: number,
    column: number,
    columns: number,
  ): void;
  adam(
    x: number,
    m: number,
    v: number,
    g1: number,
    g2: number,
    xOut: number,
    mOut: number,
    vOut: number,
    n: number,
    w1: number,
    w2: number,
    beta1: number,
    beta2: number,
    lr: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;
}

/** The module on `memory` (one instance per memory), or null where SIMD cannot run. */
export const trainingSimd = perMemory<TrainingSimd>(TRAINING_SIMD_BASE64);
