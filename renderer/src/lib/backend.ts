/** The TensorFlow.js backends by the names the window uses, the same in the header and the form. */
import type { BackendName } from '../../../common/api';

const LABELS: Record<BackendName, string> = { tensorflow: 'TensorFlow (native)', wasm: 'WebAssembly', cpu: 'CPU (plain JavaScript)' };

/** "wasm" → "WebAssembly". */
export function backendLabel(backend: BackendName): string {
  return LABELS[backend];
}
