/**
 * The element-wise loops of an LSTM step over the wasm backend's memory, in two versions with
 * the same arithmetic: WebAssembly SIMD (training-simd.wat, ~3× faster) and plain JavaScript
 * (where SIMD cannot run, or H is not a multiple of 4). Every pointer is a byte offset into the
 * memory. Layout: `s` and `dz` are [B, 4H] rows of gate blocks i, f, o, g, with g's σ taken at
 * 2z (g = 2s_g − 1); the other buffers are [B, H].
 */
import { trainingSimd } from './training-simd';
import type { WasmDirect } from './wasm-direct';

/** No previous cell state (step 0): pass as `cPrev`. */
export const NO_STATE = -1;

export interface CellLoops {
  /** c = f·cPrev + i·g (no f·cPrev at step 0); c2 = 2c, the argument of the σ that gives tanh(c). */
  cellState(s: number, cPrev: number, c: number, c2: number, batch: number, units: number): void;
  /** tanhC = 2·sc − 1 from sc = σ(2c); h = o·tanhC. */
  cellOutput(s: number, sc: number, tanhC: number, h: number, batch: number, units: number): void;
  /**
   * dz of one step from dh, into `dz` ([B, 4H]) and, unless `dzT` is null, transposed into
   * columns `column` … `column` + B − 1 of `dzT` ([4H, columns]); dc comes in as the gradient
   * from step t + 1 and leaves as the one for step t − 1.
   */
  cellBackward(
    dh: number,
    dc: number,
    s: number,
    cPrev: number,
    tanhC: number,
    dz: number,
    batch: number,
    units: number,
    dzT: Transposed | null,
  ): void;
}

/** Where a step's dz goes transposed: byte offset of dzT [4H, columns], and the step's first column. */
export interface Transposed {
  offset: number;
  column: number;
  columns: number;
}

/** Both kinds of loops on one backend, made once per backend. */
const LOOPS = new WeakMap<WasmDirect, { simd: CellLoops | null; js: CellLoops }>();

/** The element-wise LSTM loops for `units` per gate: SIMD where it can run (H a multiple of 4), else JavaScript. */
export function cellLoopsFor(direct: WasmDirect, units: number): CellLoops {
  let loops = LOOPS.get(direct);
  if (!loops) {
    loops = { simd: direct.memory ? simdLoops(direct.memory) : null, js: jsLoops(() => direct.heapBuffer()) };
    LOOPS.set(direct, loops);
  }
  return loops.simd && units % 4 === 0 ? loops.simd : loops.js;
}

/** The SIMD loops on `memory`, or null where SIMD cannot run. */
export function simdLoops(memory: WebAssembly.Memory): CellLoops | null {
  const simd = trainingSimd(memory);
  if (!simd) return null;
  const has = (cPrev: number) => (cPrev === NO_STATE ? 0 : 1);
  return {
    cellState: (s, cPrev, c, c2, batch, units) => simd.cellState(s, has(cPrev) ? cPrev : 0, c, c2, batch, units, has(cPrev)),
    cellOutput: (s, sc, tanhC, h, batch, units) => simd.cellOutput(s, sc, tanhC, h, batch, units),
    cellBackward: (dh, dc, s, cPrev, tanhC, dz, batch, units, dzT) =>
      simd.cellBackward(
        dh,
        dc,
        s,
        has(cPrev) ? cPrev : 0,
        tanhC,
        dz,
        batch,
        units,
        has(cPrev),
        dzT?.offset ?? 0,
        dzT?.column ?? 0,
        dzT?.columns ?? 0,
      ),
  };
}

/** The JavaScript loops on the memory `buffer()` returns (taken per call: growing replaces it). */
export function jsLoops(buffer: () => ArrayBufferLike): CellLoops {
  const view = (offset: number, length: number) => new Float32Array(buffer(), offset, length);
  return {
    cellState(s, cPrev, c, c2, batch, units) {
      const cells = batch * units;
      jsCellState(view(s, 4 * cells), cPrev === NO_STATE ? null : view(cPrev, cells), view(c, cells), view(c2, cells), batch, units);
    },
    cellOutput(s, sc, tanhC, h, batch, units) {
      const cells = batch * units;
      jsCellOutput(view(s, 4 * cells), view(sc, cells), view(tanhC, cells), view(h, cells), batch, units);
    },
    cellBackward(dh, dc, s, cPrev, tanhC, dz, batch, units, dzT) {
      const cells = batch * units;
      const previous = cPrev === NO_STATE ? null : view(cPrev, cells);
      jsCellBackward(view(dh, cells), view(dc, cells), view(s, 4 * cells), previous, view(tanhC, cells), view(dz, 4 * cells), batch, units);
      if (dzT) transposeInto(view(dz, 4 * cells), view(dzT.offset, 4 * units * dzT.columns), batch, 4 * units, dzT);
    },
  };
}

function jsCellState(s: Float32Array, cPrev: Float32Array | null, c: Float32Array, c2: Float32Array, batch: number, units: number): void {
  const width = 4 * units;
  for (let b = 0; b < batch; b++) {
    const row = b * width;
    const at = b * units;
    for (let k = 0; k < units; k++) {
      const keep = cPrev === null ? 0 : s[row + units + k] * cPrev[at + k];
      const value = keep + s[row + k] * (2 * s[row + 3 * units + k] - 1);
      c[at + k] = value;
      c2[at + k] = 2 * value;
    }
  }
}

function jsCellOutput(s: Float32Array, sc: Float32Array, tanhC: Float32Array, h: Float32Array, batch: number, units: number): void {
  const width = 4 * units;
  for (let b = 0; b < batch; b++) {
    const row = b * width + 2 * units;
    const at = b * units;
    for (let k = 0; k < units; k++) {
      const t = 2 * sc[at + k] - 1;
      tanhC[at + k] = t;
      h[at + k] = s[row + k] * t;
    }
  }
}

function jsCellBackward(
  dh: Float32Array,
  dc: Float32Array,
  s: Float32Array,
  cPrev: Float32Array | null,
  tanhC: Float32Array,
  dz: Float32Array,
  batch: number,
  units: number,
): void {
  const width = 4 * units;
  for (let b = 0; b < batch; b++) {
    const row = b * width;
    const at = b * units;
    for (let k = 0; k < units; k++) {
      const i = s[row + k];
      const f = s[row + units + k];
      const o = s[row + 2 * units + k];
      const g = 2 * s[row + 3 * units + k] - 1;
      const t = tanhC[at + k];
      const dhk = dh[at + k];
      const dck = dc[at + k] + dhk * o * (1 - t * t);
      dz[row + k] = dck * g * i * (1 - i);
      dz[row + units + k] = cPrev === null ? 0 : dck * cPrev[at + k] * f * (1 - f);
      dz[row + 2 * units + k] = dhk * t * o * (1 - o);
      dz[row + 3 * units + k] = dck * i * (1 - g * g);
      dc[at + k] = dck * f;
    }
  }
}

/**
 * Writes `from`, [rows, cols], transposed into columns `at.column` … `at.column` + rows − 1 of
 * `to`, [cols, at.columns], in cache-sized tiles (one step's dz into dzᵀ, for instance).
 */
export function transposeInto(
  from: Float32Array,
  to: Float32Array,
  rows: number,
  cols: number,
  at: Pick<Transposed, 'column' | 'columns'>,
): void {
  const tile = 16;
  for (let c0 = 0; c0 < cols; c0 += tile) {
    const cEnd = Math.min(cols, c0 + tile);
    for (let r = 0; r < rows; r++) {
      const start = r * cols;
      for (let c = c0; c < cEnd; c++) to[c * at.columns + at.column + r] = from[start + c];
    }
  }
}
