/**
 * Calls into compiled kernels on arbitrary regions of the wasm backend's heap, without the tfjs
 * engine: no tensor tracking, no scopes, no output allocation. A whole-sequence LSTM kernel
 * (lstm-sequence.ts) makes ~150 such calls per pass, where going through the engine cost
 * ~30 µs each in bookkeeping alone. Matrix products go to our fused-multiply-add GEMM
 * (gemm-simd.wat, ~1.4× XNNPACK's rate here) where it can run, else to XNNPACK; sigmoids to
 * XNNPACK.
 *
 * A region is registered with the wasm module as a tensor id pointing INTO an existing
 * buffer (an alias). Aliases are never freed with `_free`: only their registration is
 * dropped (`releaseAll`). XNNPACK caches the packed right-hand matrix of a matmul by its id, so
 * a right-hand alias must not be reused after the bytes under it change: take a fresh one.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { GemmSimd } from './gemm-simd';
import { GEMM_SCRATCH_BYTES, gemmSimd } from './gemm-simd';
import type { TrainingSimd } from './training-simd';
import { trainingSimd } from './training-simd';
import type { WasmBackendInternals } from './wasm-heap';
import { isXnnpackForced } from './matmul-choice';

type CWrap = (name: string, returnType: null, argTypes: string[]) => (...args: unknown[]) => void;

/** The further internals this module touches (present in tfjs-backend-wasm 4.x). */
export interface DirectBackend extends WasmBackendInternals {
  dataIdNextNumber: number;
  wasm: WasmBackendInternals['wasm'] & {
    cwrap: CWrap;
    /** The module's exports; `memory` is the heap every tensor lives in. */
    asm?: { memory?: WebAssembly.Memory };
    tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number; id: number } | undefined };
}

/** A registered region of the heap: `rows × cols` float32 at byte `offset`. */
export interface Region {
  id: number;
  offset: number;
  rows: number;
  cols: number;
}

const FLOAT = 4;

const shapeBytes = (dims: number[]) => new Uint8Array(new Int32Array(dims).buffer);

export class WasmDirect {
  private readonly matMulFn: (...args: unknown[]) => void;
  private readonly sigmoidFn: (...args: unknown[]) => void;
  private readonly aliases: number[] = [];
  /** The SIMD module on this backend's memory; null without SIMD. */
  readonly simdModule: TrainingSimd | null;
  /**
   * The fused-multiply-add GEMM on this backend's memory; null without relaxed SIMD, or with
   * XNNPACK forced (matmul-choice.ts).
   */
  gemm: GemmSimd | null;
  /** The backend's memory; null where the module does not export it. */
  readonly memory: WebAssembly.Memory | null;
  /** Byte offset of the GEMM's scratch on the heap, allocated on first use and kept for the backend's life. */
  private gemmScratch: number | null = null;

  constructor(private readonly backend: DirectBackend) {
    this.matMulFn = backend.wasm.cwrap('BatchMatMul', null, [
      'number',
      'array',
      'number',
      'number',
      'array',
      'number',
      'number',
      'number',
      'number',
    ]);
    this.sigmoidFn = backend.wasm.cwrap('Sigmoid', null, ['number', 'number']);
    const memory = backend.wasm.asm?.memory;
    this.memory = memory instanceof WebAssembly.Memory ? memory : null;
    this.simdModule = this.memory ? trainingSimd(this.memory) : null;
    this.gemm = this.memory && !isXnnpackForced() ? gemmSimd(this.memory) : null;
  }

  /** The heap's current buffer (it is replaced when the memory grows). */
  heapBuffer(): ArrayBufferLike {
    return this.backend.wasm.HEAPU8.buffer;
  }

  /** For kernels: the backend passed in the kernel's arguments. */
  static of(internals: DirectBackend): WasmDirect {
    let direct = CACHE.get(internals);
    if (!direct) {
      direct = new WasmDirect(internals);
      CACHE.set(internals, direct);
    }
    return direct;
  }

  /** Byte offset of a tensor's data on the heap. */
  offsetOf(info: TensorInfo): number {
    const entry = this.backend.dataIdMap.get(info.dataId);
    if (!entry) throw new Error('tensor is not on the wasm backend');
    return entry.memoryOffset;
  }

  /**
   * A tensor's own buffer as a region, under its own id (nothing registered, nothing to release):
   * XNNPACK keeps a right-hand matrix packed for as long as the tensor lives.
   */
  tensorRegion(info: TensorInfo): Region {
    const entry = this.backend.dataIdMap.get(info.dataId);
    if (!entry || info.shape.length !== 2) throw new Error('tensorRegion: a rank-2 tensor on the wasm backend is needed');
    return { id: entry.id, offset: entry.memoryOffset, rows: info.shape[0], cols: info.shape[1] };
  }

  /** Registers rows [row, row + rows) of a row-major `cols`-wide matrix at byte `base`; freed by `releaseAll`. */
  region(base: number, row: number, rows: number, cols: number): Region {
    const id = this.backend.dataIdNextNumber++;
    const offset = base + row * cols * 4;
    this.backend.wasm.tfjs.registerTensor(id, rows * cols, offset);
    this.aliases.push(id);
    return { id, offset, rows, cols };
  }

  /** Whether our GEMM can serve a product with `columns` output columns. */
  hasGemmFor(columns: number): boolean {
    return this.gemm !== null && columns > 0;
  }

  /**
   * out = a · b; shapes [m, k] · [k, n] → [m, n]. Our GEMM where it serves n, else XNNPACK (b
   * packed once per id). A few rows (the drawing pad's one image) go to XNNPACK too: its packed
   * b beats our in-place reads when there is little arithmetic per element of b.
   */
  matMul(a: Region, b: Region, out: Region): void {
    if (a.cols !== b.rows || out.rows !== a.rows || out.cols !== b.cols) throw new Error('matMul: shapes do not match');
    if (this.gemm && a.rows >= 4 && this.hasGemmFor(b.cols)) {
      const scratch = this.scratch();
      this.gemm.gemm(
        a.offset,
        a.cols * FLOAT,
        FLOAT,
        b.offset,
        b.cols * FLOAT,
        out.offset,
        out.cols * FLOAT,
        a.rows,
        b.cols,
        a.cols,
        scratch,
      );
    } else {
      this.matMulFn(a.id, shapeBytes([1, a.rows, a.cols]), 3, b.id, shapeBytes([1, b.rows, b.cols]), 3, 0, 0, out.id);
    }
  }

  /** out = aᵀ · b on our GEMM (a is read transposed in place); shapes [k, m]ᵀ · [k, n] → [m, n]. Needs `hasGemmFor(n)`. */
  matMulTransposedA(a: Region, b: Region, out: Region): void {
    if (a.rows !== b.rows || out.rows !== a.cols || out.cols !== b.cols) throw new Error('matMulTransposedA: shapes do not match');
    if (!this.gemm || !this.hasGemmFor(b.cols)) throw new Error('matMulTransposedA: the GEMM cannot serve this product');
    const scratch = this.scratch();
    this.gemm.gemm(
      a.offset,
      FLOAT,
      a.cols * FLOAT,
      b.offset,
      b.cols * FLOAT,
      out.offset,
      out.cols * FLOAT,
      a.cols,
      b.cols,
      a.rows,
      scratch,
    );
  }

  /**
   * The GEMM's scratch (a tensor buffer never freed: 8 KB for the backend's lifetime). Taken
   * before the product's offsets are used: allocating can grow the heap, never move it.
   */
  private scratch(): number {
    if (this.gemmScratch === null) {
      const info = this.backend.makeOutput([GEMM_SCRATCH_BYTES / FLOAT], 'float32');
      this.gemmScratch = this.offsetOf(info);
    }
    return this.gemmScratch;
  }

  /** out = σ(x), element-wise over x's whole region; x and out may be the same region. */
  sigmoid(x: Region, out: Region): void {
    this.sigmoidFn(x.id, out.id);
  }

  /**
   * A float32 view of `length` values at byte `offset`. Views go stale when the heap grows
   * (XNNPACK allocates when it packs a new matrix): take them after the calls, not before.
   */
  view(offset: number, length: number): Float32Array {
    return new Float32Array(this.backend.wasm.HEAPU8.buffer, offset, length);
  }

  /** Drops every alias registered since the last call (the memory stays with its owners). */
  releaseAll(): void {
    for (const id of this.aliases) this.backend.wasm.tfjs.disposeData(id);
    this.aliases.length = 0;
  }
}

const CACHE = new WeakMap<DirectBackend, WasmDirect>();
