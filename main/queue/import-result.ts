/**
 * A finished trial from a worker, checked as a run from disk is and then some, before it becomes
 * a saved run: run.json's schema, model.json's schema, weights.bin of the size the manifest
 * declares, the network the trial's hyperparameters describe, and the record's sweep tag and
 * hyperparameters those of this very trial. Only then is it written into the runs folder, by
 * RunStore.saveRun (a hidden temp folder renamed into place): a reader sees no run or the whole one.
 */
import { isDeepStrictEqual } from 'node:util';
import type { RunRecord } from '../../common/api';
import { HyperparamsSchema } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { SweepTrial } from '../../common/sweep';
import type { ModelFiles, RunStore } from '../store/store';
import { checkWeightBytes, parseModelJson, parseRunRecord } from '../store/store-schema';
import { checkArchitecture } from './architecture';
import type { RunFilesPayload } from './codec';

/** What the result must belong to. */
export interface ResultOwner {
  sweepId: string;
  trial: SweepTrial;
  /** The run id the owner gave the trial; the saved run takes it. */
  runId: string;
}

/** The record and files ready to save; 'model-corrupt' naming the first problem otherwise. */
export function checkTrialRun(payload: RunFilesPayload, owner: ResultOwner): { record: RunRecord; files: ModelFiles } {
  const label = `${owner.runId} (from the worker)`;
  const record = parseRunRecord(payload.record, `${label}/run.json`);
  const modelJson = parseModelJson(payload.modelJson, `${label}/model.json`);
  checkWeightBytes(modelJson, payload.weights.byteLength, `${label}/weights.bin`);
  const { trial } = owner;
  if (!isDeepStrictEqual(record.sweep, { sweepId: owner.sweepId, trial: trial.index })) {
    const tag = record.sweep ? `trial ${record.sweep.trial + 1} of ${record.sweep.sweepId}` : 'no sweep';
    throw new StudioError('model-corrupt', `${label}/run.json: belongs to ${tag}, not trial ${trial.index + 1} of ${owner.sweepId}`);
  }
  const expected = HyperparamsSchema.parse(trial.hyperparams);
  const differing = (Object.keys(expected) as (keyof typeof expected)[]).find((key) => !Object.is(record.hyperparams[key], expected[key]));
  if (differing) {
    const was = JSON.stringify(record.hyperparams[differing]);
    throw new StudioError(
      'model-corrupt',
      `${label}/run.json: trained with ${differing} ${was}, but the trial has ${JSON.stringify(expected[differing])}`,
    );
  }
  checkArchitecture(modelJson, trial.hyperparams, `${label}/model.json`);
  return { record: { ...record, runId: owner.runId }, files: { modelJson, weights: payload.weights } };
}

/** Checks the result and saves it as the trial's run; the saved record. */
export async function importTrialRun(store: RunStore, payload: RunFilesPayload, owner: ResultOwner): Promise<RunRecord> {
  const { record, files } = checkTrialRun(payload, owner);
  await store.saveRun(record, files);
  return record;
}
