/**
 * Whether a model.json is the network a trial's hyperparameters describe, read from the file
 * alone (no TensorFlow: the owner of a sweep imports runs without loading tf): the recurrent
 * layers' classes and units, one per layer, and the weight shapes the manifest declares for
 * them and the Dense(10) head. A worker that trained another configuration, or uploaded another
 * run's model, is caught here before anything reaches the runs folder.
 */
import { z } from 'zod';
import type { Hyperparams } from '../../common/api';
import { CLASSES, FEATURES } from '../../common/mnist';
import { StudioError } from '../../common/errors';
import type { ModelJson } from '../store/store';

/**
 * The layer classes a model.json may name for each cell type: the fused one, then the tfjs
 * layers older runs were built from. The same list as main/engine/model.ts's CELL_CLASSES (a
 * unit test keeps them equal), written out here because that module loads TensorFlow.
 */
export const RECURRENT_CLASS_NAMES: Record<Hyperparams['cell'], readonly string[]> = {
  lstm: ['FusedLSTM'],
  gru: ['FusedGRU', 'GRU'],
  rnn: ['FusedSimpleRNN', 'SimpleRNN'],
};
const GATES: Record<Hyperparams['cell'], number> = { lstm: 4, gru: 3, rnn: 1 };
const ALL_RECURRENT = new Set(Object.values(RECURRENT_CLASS_NAMES).flat());

const TopologySchema = z.object({
  config: z.object({
    layers: z.array(
      z
        .object({ name: z.string(), class_name: z.string(), config: z.object({ units: z.number().optional() }).passthrough() })
        .passthrough(),
    ),
  }),
});

/** Throws 'model-corrupt' naming what differs when `modelJson` is not the network `hp` describes. */
export function checkArchitecture(modelJson: ModelJson, hp: Pick<Hyperparams, 'cell' | 'units' | 'layers'>, label: string): void {
  const topology = TopologySchema.safeParse(modelJson.modelTopology);
  if (!topology.success) throw new StudioError('model-corrupt', `${label}: its topology lists no layers`);
  const recurrent = topology.data.config.layers.filter((layer) => ALL_RECURRENT.has(layer.class_name));
  const found = recurrent.map((layer) => `${layer.class_name}(${layer.config.units ?? '?'})`);
  const accepted = RECURRENT_CLASS_NAMES[hp.cell];
  const isRight =
    recurrent.length === hp.layers && recurrent.every((layer) => accepted.includes(layer.class_name) && layer.config.units === hp.units);
  if (!isRight) {
    const expected = Array.from({ length: hp.layers }, () => `${accepted[0]}(${hp.units})`);
    throw new StudioError(
      'model-corrupt',
      `${label}: holds ${found.join(', ') || 'no recurrent layer'}, but the trial is ${expected.join(', ')}`,
    );
  }
  const shapes = new Map(modelJson.weightsManifest.flatMap((group) => group.weights).map((w) => [w.name, w.shape.join('×')]));
  const expectShape = (name: string, shape: number[]) => {
    const actual = shapes.get(name);
    if (actual !== undefined && actual !== shape.join('×')) {
      throw new StudioError('model-corrupt', `${label}: weight ${name} is ${actual}, but the trial needs ${shape.join('×')}`);
    }
  };
  const width = GATES[hp.cell] * hp.units;
  recurrent.forEach((layer, k) => {
    expectShape(`${layer.name}/kernel`, [k === 0 ? FEATURES : hp.units, width]);
    expectShape(`${layer.name}/recurrent_kernel`, [hp.units, width]);
  });
  if (!shapes.has('logits/kernel')) throw new StudioError('model-corrupt', `${label}: has no logits/kernel weight`);
  expectShape('logits/kernel', [hp.units, CLASSES]);
}
