/** Run records and model files as the engine would hand them to the store (test fixtures). */
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import type { RunRecord } from '../../../../common/api';
import type { ModelFiles } from '../../../../main/store/store';

/** A record as the engine would write it. */
export function makeRecord(runId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    formatVersion: 1,
    runId,
    name: `run ${runId}`,
    createdAt: '2025-01-01T10:00:00.000Z',
    hyperparams: { ...DEFAULT_HYPERPARAMS, units: 8 },
    seed: 42,
    backend: 'cpu',
    iterations: 20,
    stopped: false,
    testAccuracy: 0.5,
    testCount: 100,
    versions: { tfjs: '4.22.0' },
    elapsedMs: 1234,
    history: { train: [{ iteration: 10, loss: 2.1, accuracy: 0.2 }], validation: [] },
    test: null,
    ...overrides,
  };
}

/** A fake model: two float32 weights, [2, 3] and [3], so weights.bin must be 36 bytes. */
export function makeFiles(fill = 1): ModelFiles {
  const weights = new Uint8Array(new Float32Array(9).fill(fill).buffer);
  return {
    modelJson: {
      format: 'layers-model',
      modelTopology: { class_name: 'Sequential', config: {} },
      weightsManifest: [
        {
          paths: ['./weights.bin'],
          weights: [
            { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
            { name: 'dense/bias', shape: [3], dtype: 'float32' },
          ],
        },
      ],
    },
    weights,
  };
}
