/**
 * Where a fine-tune starts (issue 17): the parent run's saved weights, checked against the
 * architecture its hyperparameters describe, with a fresh optimizer (a saved run keeps no
 * optimizer state). Its batches are data/mixed-batches.ts's.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../common/api';
import { StudioError } from '../../common/errors';
import { modelFromFiles } from './model-io';
import { checkArchitecture } from './predictor';
import type { RunStore } from '../store/store';

/** The parent run's model, ready to train on: its own weights, the architecture `hp` describes. */
export async function parentModel(store: RunStore, parentRunId: string, hp: Hyperparams): Promise<tf.LayersModel> {
  const files = await store.loadModelFiles(parentRunId);
  const model = await modelFromFiles(files).catch((err: unknown) => {
    throw err instanceof StudioError ? new StudioError(err.code, `${parentRunId}/${err.message}`) : err;
  });
  try {
    checkArchitecture(model, hp, parentRunId);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
