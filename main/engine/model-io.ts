/**
 * The TensorFlow side of the model store: a LayersModel to and from the in-memory files that
 * store.ts writes (model.json's content and the bytes of weights.bin). No file access here.
 */
import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../../common/errors';
import type { ModelFiles } from '../store/store';
import { checkModelFiles, parseModelJson } from '../store/store';

/** model.json points at the one weights file, next to it. */
const WEIGHTS_PATH = './weights.bin';

/**
 * Serialises `model` (topology and weights, no optimizer state) to ModelFiles: one weights.bin
 * holding every weight in manifest order.
 */
export async function modelToFiles(model: tf.LayersModel): Promise<ModelFiles> {
  // Declared with `as` so TypeScript does not narrow it to undefined: the handler assigns it.
  let files = undefined as ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files = artifactsToFiles(artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!files) throw new StudioError('internal', 'model.save() finished without handing over the model');
  return files;
}

function artifactsToFiles(artifacts: tf.io.ModelArtifacts): ModelFiles {
  const { modelTopology, weightSpecs = [], weightData, format, generatedBy, convertedBy } = artifacts;
  if (modelTopology === undefined || modelTopology instanceof ArrayBuffer) {
    throw new StudioError('internal', 'model.save() produced no JSON topology');
  }
  const weights = weightData === undefined ? new Uint8Array(0) : new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData));
  const modelJson = parseModelJson(
    { format, generatedBy, convertedBy, modelTopology, weightsManifest: [{ paths: [WEIGHTS_PATH], weights: weightSpecs }] },
    'model.json',
  );
  return { modelJson, weights };
}

/**
 * Rebuilds the model from its files: input [batch, 28, 28] → output [batch, 10] for the models
 * this app builds. Files that do not fit together (say, 64-unit weights under a 128-unit
 * topology) throw 'model-corrupt' rather than a raw TF.js error. Custom layers must already be
 * registered with tf.serialization (importing their module does that).
 */
export async function modelFromFiles(files: ModelFiles): Promise<tf.LayersModel> {
  checkModelFiles(files, 'model');
  const { modelTopology, weightsManifest, format, generatedBy, convertedBy } = files.modelJson;
  const weightSpecs = weightsManifest.flatMap((group) => group.weights);
  // A copy: tf wants a whole ArrayBuffer, and `files.weights` may be a view into a larger one.
  const weightData = files.weights.slice().buffer;
  const artifacts: tf.io.ModelArtifacts = { modelTopology, weightSpecs, weightData, format, generatedBy, convertedBy };
  const variablesBefore = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    disposeVariablesSince(variablesBefore);
    throw explainLoadError(err);
  }
}

/**
 * A failed load leaves the half-built model's variables registered; free them. (The weights tf
 * decoded for it, the size of weights.bin, stay allocated: nothing outside tf can reach them.)
 */
function disposeVariablesSince(before: Set<string>): void {
  const variables = tf.engine().registeredVariables;
  for (const name of Object.keys(variables)) {
    if (!before.has(name)) variables[name].dispose();
  }
}

function explainLoadError(err: unknown): StudioError {
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  if (/^Unknown (layer|initializer|regularizer|constraint|activation)/.test(detail)) {
    return new StudioError('model-corrupt', `model.json: the model uses something this app does not know (${detail})`);
  }
  return new StudioError('model-corrupt', `model.json and weights.bin are incompatible: ${detail}`);
}
