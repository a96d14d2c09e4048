/**
 * Picks the TensorFlow.js backend once, at worker start: tensorflow (native, optional) → wasm
 * (ships inside npm, the offline default) → cpu (pure JS). Also patches the wasm matmul kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendName } from '../../common/api';
import { patchWasmKernels } from './wasm';

export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendChoice {
  backend: BackendName;
  /** Why a faster backend is not in use, said once; null when the first choice worked. */
  note: string | null;
}

const require = createRequire(import.meta.url);

/** Loads tfjs-node if it is installed and its libtensorflow is present; false otherwise. */
async function registerNative(): Promise<string | null> {
  try {
    // tfjs-node registers the 'tensorflow' backend as a side effect of being imported. The name
    // is a variable so that neither the type checker nor the bundler insists on it existing.
    const optionalPackage = '@tensorflow/tfjs-node';
    await import(optionalPackage);
    return null;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return (
      'The native TensorFlow backend (@tensorflow/tfjs-node) is not installed or its libtensorflow ' +
      `download failed (${reason}); using a slower backend. To enable it, run ` +
      '`npm install @tensorflow/tfjs-node` on a machine with internet access.'
    );
  }
}

function registerWasm(): void {
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  // In a packaged app the .wasm files are unpacked from the asar archive.
  setWasmPaths(dist.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`) + path.sep);
  patchWasmKernels();
}

/**
 * Tries each backend in `order` and keeps the first that initialises. `tf.setBackend` returns
 * false instead of throwing when a backend fails, so both outcomes are checked.
 */
export async function chooseBackend(order: readonly BackendName[] = BACKEND_ORDER): Promise<BackendChoice> {
  const notes: string[] = [];
  for (const name of order) {
    if (name === 'tensorflow') {
      const missing = await registerNative();
      if (missing) {
        notes.push(missing);
        continue;
      }
    }
    if (name === 'wasm') registerWasm();
    const ok = await tf.setBackend(name).catch(() => false);
    if (ok) {
      await tf.ready();
      return { backend: name, note: notes.length > 0 ? notes.join(' ') : null };
    }
    notes.push(`The ${name} backend failed to start.`);
  }
  throw new Error(`No TensorFlow.js backend could start: ${notes.join(' ')}`);
}
