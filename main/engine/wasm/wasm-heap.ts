/** Direct access to tensors' bytes on the wasm backend's heap, for kernels written in JavaScript. */
import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';

/** The parts of the wasm backend instance the patched kernels touch. */
export interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  disposeData(dataId: object): boolean;
}

/**
 * A typed view (no copy) of a tensor's bytes on the wasm heap. Take views only after the last
 * `makeOutput` of a kernel: growing the heap replaces its buffer and detaches older views.
 */
export function heapView(backend: WasmBackendInternals, info: TensorInfo): Float32Array | Int32Array | Uint8Array {
  const entry = backend.dataIdMap.get(info.dataId);
  if (!entry) throw new Error('tensor is not on the wasm backend');
  const size = info.shape.reduce((a, b) => a * b, 1);
  const buffer = backend.wasm.HEAPU8.buffer;
  if (info.dtype === 'float32') return new Float32Array(buffer, entry.memoryOffset, size);
  if (info.dtype === 'int32') return new Int32Array(buffer, entry.memoryOffset, size);
  return new Uint8Array(buffer, entry.memoryOffset, size);
}
