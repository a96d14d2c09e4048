/**
 * Works around three defects in @tensorflow/tfjs-backend-wasm 4.22, with identical arithmetic:
 * - `BatchMatMul` and `_FusedMatMul` with a transposed operand fall back to a scalar loop 15–30×
 *   slower than XNNPACK's fast path, and every backward pass asks for exactly that. The patched
 *   kernels transpose the operand explicitly (one cheap memory pass) and take the fast path.
 * - `Slice` copies the WHOLE input out of the wasm heap (`readSync`) to take a piece of it, so
 *   slicing one time step out of a [T·B, 4H] tensor costs T times the step. The patched kernel
 *   reads through a view of the heap instead.
 * - `Identity` (tf.clone, and every tensor a customGrad saves for its backward pass) copies the
 *   whole buffer: ~7 MB per LSTM training pass. Tensors are immutable, so the patched kernel
 *   shares the buffer under a reference count, as the cpu backend's does.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { registerAdamKernel } from './adam-update';
import { registerSequenceKernels } from './sequence-kernels';
import type { WasmBackendInternals } from './wasm-heap';
import { heapView } from './wasm-heap';

const PATCHED_KERNELS = ['BatchMatMul', '_FusedMatMul', 'Slice', 'Identity'] as const;
let isPatched = false;

type KernelArgs = Parameters<KernelFunc>[0];

/** Swaps the last two axes of `x` with the backend's own Transpose kernel. */
function transposeLastTwo(x: TensorInfo, args: KernelArgs): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('wasm backend has no Transpose kernel');
  return transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as TensorInfo;
}

function withExplicitTranspose(original: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const inputs = { ...args.inputs };
    const temporaries: TensorInfo[] = [];
    if (attrs.transposeA) temporaries.push((inputs.a = transposeLastTwo(inputs.a as TensorInfo, args)));
    if (attrs.transposeB) temporaries.push((inputs.b = transposeLastTwo(inputs.b as TensorInfo, args)));
    try {
      return original({ ...args, inputs, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      // Kernel outputs bypass the tensor tracker, so intermediates are freed by hand.
      for (const t of temporaries) (args.backend as unknown as WasmBackendInternals).disposeData(t.dataId);
    }
  };
}

/** Slice of a rank-1 or rank-2 numeric tensor, read through heap views; else the original. */
function withHeapViewSlice(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string' || x.dtype === 'complex64' || x.shape.length > 2) return original(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    const backend = args.backend as unknown as WasmBackendInternals;
    const out = backend.makeOutput(extent, x.dtype);
    // Views are taken after makeOutput, which may grow (and so replace) the heap's buffer.
    const src = heapView(backend, x);
    const dst = heapView(backend, out);
    if (x.shape.length === 1) {
      dst.set(src.subarray(start[0], start[0] + extent[0]));
      return out;
    }
    const [rows, cols] = extent;
    const stride = x.shape[1];
    for (let r = 0; r < rows; r++) {
      const from = (start[0] + r) * stride + start[1];
      dst.set(src.subarray(from, from + cols), r * cols);
    }
    return out;
  };
}

/** Identity of a numeric tensor: the same buffer, one more reference; else the original. */
function withSharedIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return original(args);
    (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

const WRAPPERS: Record<(typeof PATCHED_KERNELS)[number], (original: KernelFunc) => KernelFunc> = {
  BatchMatMul: withExplicitTranspose,
  _FusedMatMul: withExplicitTranspose,
  Slice: withHeapViewSlice,
  Identity: withSharedIdentity,
};

/** Re-registers the patched wasm kernels, and adds the LSTM sequence and Adam kernels, once; later calls are no-ops. */
export function patchWasmKernels(): void {
  if (isPatched) return;
  registerSequenceKernels();
  registerAdamKernel();
  for (const name of PATCHED_KERNELS) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: WRAPPERS[name](original.kernelFunc) });
  }
  isPatched = true;
}

/** Puts back kernels saved with `currentWasmKernels` (tests compare patched and unpatched). */
export function restoreWasmKernels(saved: KernelConfig[]): void {
  for (const config of saved) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  isPatched = false;
}

/** The kernel configs currently registered for the patched names. */
export function currentWasmKernels(): KernelConfig[] {
  return PATCHED_KERNELS.map((name) => tf.getKernel(name, 'wasm')).filter((k): k is KernelConfig => k != null);
}
