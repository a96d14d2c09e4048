/**
 * Saving and restoring a run mid-training: the model's weights, the optimizer's state (Adam's
 * moments and step count, so a resumed run continues exactly) and the loop's own state.
 */
import * as tf from '@tensorflow/tfjs';
import type { MetricsHistory } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { CheckpointState } from '../store/checkpoint-files';
import { readCheckpointFile, readCheckpointState, writeCheckpointFiles } from '../store/checkpoint-files';
import { makeOptimizer } from './model';
import { modelFromFiles, modelToFiles } from './model-io';
import type { RunStore } from '../store/store';
import { parseModelJson } from '../store/store';
import type { TrainJob } from '../store/train-job';

/** Where the loop stands when a checkpoint is taken. */
export interface LoopProgress {
  seed: number;
  iteration: number;
  totalIterations: number;
  history: MetricsHistory;
  trainMs: number;
  samples: number;
  elapsedMs: number;
}

/** A run rebuilt from its checkpoint, ready to continue with iteration `state.iteration + 1`. */
export interface RestoredRun {
  state: CheckpointState;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
}

/** Packs the optimizer's variables into one float32 buffer and its index. */
async function packOptimizer(optimizer: tf.Optimizer): Promise<{ bytes: Uint8Array; entries: CheckpointState['optimizer'] }> {
  const named = await optimizer.getWeights();
  const entries: CheckpointState['optimizer'] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const { name, tensor } of named) {
    const values = (await tensor.data()) as Float32Array;
    entries.push({ name, shape: tensor.shape, offset });
    chunks.push(Float32Array.from(values));
    offset += values.length;
    // getWeights hands back the optimizer's own variables plus a fresh step-count scalar.
    if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
  const all = new Float32Array(offset);
  chunks.reduce((at, chunk) => (all.set(chunk, at), at + chunk.length), 0);
  return { bytes: new Uint8Array(all.buffer), entries };
}

/**
 * Adam keeps β1^t and β2^t as running products; its setWeights recomputes them with pow(),
 * which rounds differently in float32, so a resumed run would drift from the original by a few
 * ulps a step. Saving and restoring the products keeps resumption exact.
 */
interface AdamPowers {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

function betaPowersOf(optimizer: tf.Optimizer): AdamPowers | null {
  const candidate = optimizer as unknown as Partial<AdamPowers>;
  return optimizer instanceof tf.AdamOptimizer && candidate.accBeta1 instanceof tf.Variable && candidate.accBeta2 instanceof tf.Variable
    ? (candidate as AdamPowers)
    : null;
}

/** Writes the run's checkpoint folder, replacing the previous one in a single rename. */
export async function saveCheckpoint(
  store: RunStore,
  runId: string,
  request: TrainJob,
  progress: LoopProgress,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
): Promise<void> {
  const files = await modelToFiles(model);
  const packed = await packOptimizer(optimizer);
  const powers = betaPowersOf(optimizer);
  const betaPowers = powers ? ([powers.accBeta1.dataSync()[0], powers.accBeta2.dataSync()[0]] as [number, number]) : undefined;
  const state: CheckpointState = {
    formatVersion: 1,
    runId,
    request,
    ...progress,
    savedAt: new Date().toISOString(),
    optimizer: packed.entries,
    ...(betaPowers ? { betaPowers } : {}),
  };
  await writeCheckpointFiles(store, runId, {
    'model.json': JSON.stringify(files.modelJson),
    'weights.bin': files.weights,
    'optimizer.bin': packed.bytes,
    'state.json': JSON.stringify(state),
  });
}

/** An optimizer variable as tf.Optimizer#setWeights takes it. */
type NamedTensor = { name: string; tensor: tf.Tensor };

function unpackOptimizer(state: CheckpointState, bytes: Buffer, label: string): NamedTensor[] {
  const floats =
    bytes.byteLength % 4 === 0 ? new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) : null;
  return state.optimizer.map(({ name, shape, offset }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (!floats || offset + size > floats.length) throw new StudioError('model-corrupt', `${label}: truncated, ${name} does not fit`);
    return { name, tensor: tf.tensor(floats.subarray(offset, offset + size), shape) };
  });
}

/** Rebuilds model, optimizer and loop state from a run's checkpoint; 'model-corrupt' on damage. */
export async function restoreCheckpoint(store: RunStore, runId: string): Promise<RestoredRun> {
  const state = await readCheckpointState(store, runId);
  const label = `${runId}/checkpoint`;
  const modelJson = parseModelJson(
    parseJson(await readCheckpointFile(store, runId, 'model.json'), `${label}/model.json`),
    `${label}/model.json`,
  );
  const model = await modelFromFiles({ modelJson, weights: await readCheckpointFile(store, runId, 'weights.bin') });
  const optimizer = makeOptimizer(state.request.hyperparams);
  const named = unpackOptimizer(state, await readCheckpointFile(store, runId, 'optimizer.bin'), `${label}/optimizer.bin`);
  try {
    await optimizer.setWeights(named);
    const powers = betaPowersOf(optimizer);
    if (powers && state.betaPowers) {
      tf.tidy(() => {
        powers.accBeta1.assign(tf.scalar(state.betaPowers![0]));
        powers.accBeta2.assign(tf.scalar(state.betaPowers![1]));
      });
    }
  } catch (err) {
    model.dispose();
    throw new StudioError('model-corrupt', `${label}/optimizer.bin does not fit this model: ${(err as Error).message}`);
  } finally {
    tf.dispose(named.map((n) => n.tensor));
  }
  return { state, model, optimizer };
}

function parseJson(bytes: Buffer, label: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new StudioError('model-corrupt', `${label}: not valid JSON`);
  }
}
