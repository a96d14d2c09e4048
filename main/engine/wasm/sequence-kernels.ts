/**
 * Registration of the whole-sequence kernels of all three cells (lstm-sequence.ts,
 * gru-sequence.ts, rnn-sequence.ts) with the wasm backend, and the check the ops make before
 * taking them.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc } from '@tensorflow/tfjs';
import { GRU_KERNELS } from './gru-sequence';
import { LSTM_KERNELS } from './lstm-sequence';
import { RNN_KERNELS } from './rnn-sequence';

const ALL: [string, KernelFunc][] = [...LSTM_KERNELS, ...GRU_KERNELS, ...RNN_KERNELS];
/** Registered last, so its presence means all of them are. */
const LAST = ALL[ALL.length - 1][0];

/** Registers the sequence kernels for the wasm backend; later calls are no-ops. */
export function registerSequenceKernels(): void {
  for (const [kernelName, kernelFunc] of ALL) {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}

/** Whether the sequence kernels can run: the wasm backend is active and they are registered. */
export function hasSequenceKernels(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(LAST, 'wasm') !== undefined;
}
