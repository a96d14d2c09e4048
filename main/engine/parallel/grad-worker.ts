/**
 * The gradient helper thread, started by the trainer's parallel stepper: on every step it takes
 * the current weights and its part of the batch from shared memory, computes that part's
 * gradients on its own backend instance (its own wasm module, i.e. the second core) and
 * writes them back; during validation it scores its share of each chunk the same way. It
 * never updates weights; the trainer's optimizer does.
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { chooseBackend } from '../backend';
import { copyTensorInto, fastAugmentWorkspace, tensorFromCopy } from '../wasm';
import { augmentPart } from '../data/batches';
import type { FromHelper, HelperConfig, ToHelper } from './grad-exchange';
import { exchangeViews, sameShapes, splitFlat } from './grad-exchange';
import { dropoutLayers, partGradients, trainableVariables, weightShapes } from '../gradients';
import { buildModel } from '../model';
import { scoreBatch } from '../score';
import { PIXEL_COUNT } from '../../../common/mnist';

if (!parentPort) throw new Error('grad-worker.ts must run as a worker thread');
const port = parentPort;
const config = workerData as HelperConfig;
const post = (message: FromHelper) => port.postMessage(message);

/**
 * Dropout masks must differ from the trainer's (its part draws masks from the run's seed), or
 * both halves of every batch would drop the same units. Weights are overwritten every step,
 * so the seed changes nothing else.
 */
const HELPER_SEED_OFFSET = 0x5bd1e995;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function start(): Promise<{ model: tf.LayersModel; views: ReturnType<typeof exchangeViews> }> {
  await chooseBackend([config.backend]);
  // The trainer's weights overwrite these before every step: no initializers to run.
  const model = buildModel(config.hyperparams, (config.seed + HELPER_SEED_OFFSET) % 2 ** 31, { initialize: false });
  if (!sameShapes(weightShapes(model), config.shapes)) {
    throw new Error(`the helper built weights ${JSON.stringify(weightShapes(model))}, the trainer has ${JSON.stringify(config.shapes)}`);
  }
  return { model, views: exchangeViews(config.buffer, config.shapes, config.maxCount) };
}

type Views = ReturnType<typeof exchangeViews>;

const work = fastAugmentWorkspace();

/** Copies the trainer's weights from shared memory into the model. */
function loadWeights(model: tf.LayersModel, views: Views): void {
  const weights = splitFlat(views.weights, config.shapes);
  tf.tidy(() => trainableVariables(model).forEach((v, k) => v.assign(tensorFromCopy(weights[k], v.shape))));
}

/** The images (and labels) of this request, in shared memory. */
function partOf(views: Views, count: number) {
  return { pixels: views.pixels.subarray(0, count * PIXEL_COUNT), labels: views.labels.subarray(0, count) };
}

/** Loads the shared weights into the model, computes this part's gradients, shares them. */
function step(model: tf.LayersModel, views: Views, command: Extract<ToHelper, { type: 'step' }>): FromHelper {
  loadWeights(model, views);
  const { count, withAccuracy } = command;
  dropoutLayers(model).forEach((layer, k) => {
    layer.callCount = command.dropoutCalls[k] ?? layer.callCount;
  });
  const part = partOf(views, count);
  if (command.augment) augmentPart(part.pixels, command.augment.first, count, command.augment, work);
  const result = partGradients(model, part, withAccuracy);
  const outs = splitFlat(views.grads, config.shapes);
  result.grads.forEach((g, k) => {
    copyTensorInto(g, outs[k]);
    g.dispose();
  });
  return { type: 'done', seq: command.seq, loss: result.loss, correct: result.correct };
}

/** Scores this share of a validation pass with the weights loaded last (or now, when asked). */
function score(model: tf.LayersModel, views: Views, command: Extract<ToHelper, { type: 'score' }>): FromHelper {
  if (command.loadWeights) loadWeights(model, views);
  const { lossSum, hits } = scoreBatch(model, partOf(views, command.count));
  return { type: 'scored', seq: command.seq, lossSum, hits };
}

async function main(): Promise<void> {
  const { model, views } = await start();
  port.on('message', (command: ToHelper) => {
    if (command.type === 'quit') {
      model.dispose();
      port.close();
      return;
    }
    try {
      post(command.type === 'step' ? step(model, views, command) : score(model, views, command));
    } catch (err) {
      post({ type: 'failed', message: describe(err) });
    }
  });
  post({ type: 'ready' });
}

main().catch((err: unknown) => post({ type: 'failed', message: describe(err) }));
