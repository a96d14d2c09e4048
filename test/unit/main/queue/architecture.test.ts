import { describe, expect, it } from 'vitest';
import { CELL_CLASSES } from '../../../../main/engine/model';
import { checkArchitecture, RECURRENT_CLASS_NAMES } from '../../../../main/queue/architecture';
import type { ModelJson } from '../../../../main/store/store';

/** model.json as the engine writes it for `layers` recurrent layers of `className(units)` (4 gates). */
function modelJson(className: string, units: number, layers: number, gates = 4): ModelJson {
  const recurrent = Array.from({ length: layers }, (_, k) => ({ name: `recurrent_${k}`, class_name: className, config: { units } }));
  const weights = recurrent.flatMap((layer, k) => [
    { name: `${layer.name}/kernel`, shape: [k === 0 ? 28 : units, gates * units], dtype: 'float32' as const },
    { name: `${layer.name}/recurrent_kernel`, shape: [units, gates * units], dtype: 'float32' as const },
    { name: `${layer.name}/bias`, shape: [gates * units], dtype: 'float32' as const },
  ]);
  return {
    modelTopology: {
      config: {
        layers: [
          { name: 'rows', class_name: 'InputLayer', config: {} },
          ...recurrent,
          { name: 'logits', class_name: 'Dense', config: { units: 10 } },
        ],
      },
    },
    weightsManifest: [{ paths: ['./weights.bin'], weights: [...weights, { name: 'logits/kernel', shape: [units, 10], dtype: 'float32' }] }],
  };
}

describe('checkArchitecture', () => {
  it('names the same layer classes as the engine (its list loads TensorFlow, so it is written twice)', () => {
    expect(RECURRENT_CLASS_NAMES).toEqual(CELL_CLASSES);
  });

  it('accepts the network the hyperparameters describe', () => {
    expect(() => checkArchitecture(modelJson('FusedLSTM', 8, 1), { cell: 'lstm', units: 8, layers: 1 }, 'x')).not.toThrow();
    expect(() => checkArchitecture(modelJson('FusedGRU', 16, 2, 3), { cell: 'gru', units: 16, layers: 2 }, 'x')).not.toThrow();
  });

  it('refuses another size, depth or cell, or weights of the wrong shape, saying what it holds', () => {
    expect(() => checkArchitecture(modelJson('FusedLSTM', 12, 1), { cell: 'lstm', units: 8, layers: 1 }, 'run/model.json')).toThrow(
      'run/model.json: holds FusedLSTM(12), but the trial is FusedLSTM(8)',
    );
    expect(() => checkArchitecture(modelJson('FusedLSTM', 8, 2), { cell: 'lstm', units: 8, layers: 1 }, 'x')).toThrow(
      /FusedLSTM\(8\), FusedLSTM\(8\)/,
    );
    expect(() => checkArchitecture(modelJson('FusedGRU', 8, 1, 3), { cell: 'lstm', units: 8, layers: 1 }, 'x')).toThrow(
      /holds FusedGRU\(8\)/,
    );
    const wrongShape = modelJson('FusedLSTM', 8, 1, 3); // 3 gates' worth of columns under an LSTM
    expect(() => checkArchitecture(wrongShape, { cell: 'lstm', units: 8, layers: 1 }, 'x')).toThrow(
      /recurrent_0\/kernel is 28×24, but the trial needs 28×32/,
    );
  });
});
