import { describe, expect, it } from 'vitest';
import type { CellLoops } from '../../../../../main/engine/wasm/lstm-cell-loops';
import { NO_STATE, jsLoops, simdLoops } from '../../../../../main/engine/wasm/lstm-cell-loops';
import { mulberry32 } from '../../../../../main/engine/rng';

const [batch, units] = [3, 12];
const cells = batch * units;
/** dzᵀ has room for more steps than the one written: column 3 … 5 of 9. */
const [COLUMN, COLUMNS] = [3, 9];

/** A fresh memory with the same random inputs at the same offsets, for each implementation. */
function setUp(seed: number) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const random = mulberry32(seed);
  const all = new Float32Array(memory.buffer);
  for (let i = 0; i < all.length; i++) all[i] = random();
  let next = 64;
  const place = (floats: number) => ((next += floats * 4), next - floats * 4);
  const at = {
    s: place(4 * cells),
    cPrev: place(cells),
    c: place(cells),
    c2: place(cells),
    tanhC: place(cells),
    h: place(cells),
    dh: place(cells),
    dc: place(cells),
    dz: place(4 * cells),
    dzT: place(4 * units * COLUMNS),
  };
  return { memory, at, read: (offset: number, floats: number) => Array.from(new Float32Array(memory.buffer, offset, floats)) };
}

/** Runs every loop with and without a previous state; returns every output buffer. */
function runAll(make: (memory: WebAssembly.Memory) => CellLoops): number[][] {
  const results: number[][] = [];
  for (const withState of [true, false]) {
    const { memory, at, read } = setUp(7);
    const loops = make(memory);
    const cPrev = withState ? at.cPrev : NO_STATE;
    loops.cellState(at.s, cPrev, at.c, at.c2, batch, units);
    loops.cellOutput(at.s, at.c2, at.tanhC, at.h, batch, units);
    loops.cellBackward(at.dh, at.dc, at.s, cPrev, at.tanhC, at.dz, batch, units, { offset: at.dzT, column: COLUMN, columns: COLUMNS });
    const dz = read(at.dz, 4 * cells);
    const dzT = read(at.dzT, 4 * units * COLUMNS);
    // dzᵀ holds dz in its columns and leaves the others (random filler) alone.
    const filler = setUp(7).read(at.dzT, 4 * units * COLUMNS);
    dzT.forEach((v, j) => {
      const [g, column] = [Math.floor(j / COLUMNS), j % COLUMNS];
      const b = column - COLUMN;
      expect(v).toBe(b >= 0 && b < batch ? dz[b * 4 * units + g] : filler[j]);
    });
    results.push(read(at.c, cells), read(at.c2, cells), read(at.tanhC, cells), read(at.h, cells), dz, read(at.dc, cells));
  }
  return results;
}

describe('the element-wise LSTM loops', () => {
  it('give the same numbers in WebAssembly SIMD as in JavaScript', () => {
    const simd = runAll((memory) => {
      const loops = simdLoops(memory);
      if (!loops) throw new Error('this Node has no WebAssembly SIMD');
      return loops;
    });
    const js = runAll((memory) => jsLoops(() => memory.buffer));
    simd.forEach((buffer, k) => {
      // float32 throughout in SIMD, float64 between loads and stores in JavaScript.
      const worst = buffer.reduce((max, v, i) => Math.max(max, Math.abs(v - js[k][i]) / Math.max(1, Math.abs(js[k][i]))), 0);
      expect(worst, `output ${k}`).toBeLessThan(2e-6);
    });
    // Step 0 has no forget-gate gradient.
    const dzWithout = simd[10];
    for (let b = 0; b < batch; b++)
      expect(dzWithout.slice(b * 4 * units + units, b * 4 * units + 2 * units).every((v) => v === 0)).toBe(true);
  });

  it('write only dz when there is no dzᵀ, in both versions', () => {
    for (const make of [(memory: WebAssembly.Memory) => simdLoops(memory)!, (memory: WebAssembly.Memory) => jsLoops(() => memory.buffer)]) {
      const withT = setUp(7);
      make(withT.memory).cellBackward(withT.at.dh, withT.at.dc, withT.at.s, withT.at.cPrev, withT.at.tanhC, withT.at.dz, batch, units, {
        offset: withT.at.dzT,
        column: COLUMN,
        columns: COLUMNS,
      });
      const without = setUp(7);
      const before = Array.from(new Uint8Array(without.memory.buffer));
      make(without.memory).cellBackward(
        without.at.dh,
        without.at.dc,
        without.at.s,
        without.at.cPrev,
        without.at.tanhC,
        without.at.dz,
        batch,
        units,
        null,
      );
      expect(without.read(without.at.dz, 4 * cells)).toEqual(withT.read(withT.at.dz, 4 * cells));
      const after = new Uint8Array(without.memory.buffer);
      // Nothing but dz and dc changed: the bytes outside them are as they were.
      const inside = (i: number) =>
        (i >= without.at.dz && i < without.at.dz + 16 * cells) || (i >= without.at.dc && i < without.at.dc + 4 * cells);
      expect(before.findIndex((v, i) => !inside(i) && after[i] !== v)).toBe(-1);
    }
  });
});
