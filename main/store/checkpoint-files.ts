/**
 * Checkpoints on disk, without TensorFlow (main lists resumable runs with this): a run's
 * `checkpoint/` folder holds model.json, weights.bin, optimizer.bin and state.json, and is
 * replaced as a whole (temp folder, then rename), so a crash mid-save leaves the previous one.
 */
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ResumableRun } from '../../common/api';
import { StudioError } from '../../common/errors';
import { STALE_TEMP_MS, tempSibling, writeFileAtomic } from './atomic';
import type { RunStore } from './store';
import { MetricsHistorySchema, RunIdSchema, parseOrThrow } from './store-schema';
import { TrainJobSchema } from './train-job';
import { ASIDE_NAME, CHECKPOINT, errnoOf, readError, swapInto, toStoreError } from './store-fs';

const STATE_JSON = 'state.json';
const count = z.number().int().min(0);

/** One optimizer variable's place in optimizer.bin (float32, little-endian). */
const OptimizerEntrySchema = z.object({ name: z.string(), shape: z.array(count), offset: count });

/** state.json: everything besides the weights needed to continue a run where it stopped. */
export const CheckpointStateSchema = z.object({
  formatVersion: z.literal(1),
  runId: RunIdSchema,
  /** What was asked for: a StartRequest, or a fine-tune with its digits. */
  request: TrainJobSchema,
  seed: count,
  /** Iterations completed; the resumed run starts with the next one. */
  iteration: z.number().int().min(1),
  totalIterations: z.number().int().min(1),
  history: MetricsHistorySchema,
  trainMs: z.number().min(0),
  samples: count,
  elapsedMs: z.number().min(0),
  savedAt: z.string(),
  optimizer: z.array(OptimizerEntrySchema),
  /** Adam's running β1^t and β2^t, exactly as they were (see checkpoint.ts). */
  betaPowers: z.tuple([z.number(), z.number()]).optional(),
});
export type CheckpointState = z.output<typeof CheckpointStateSchema>;

/** `<runsDir>/<runId>/checkpoint`. */
export function checkpointDir(store: RunStore, runId: string): string {
  return path.join(store.runDir(runId), CHECKPOINT);
}

/** Replaces the checkpoint folder with `files` in one rename. */
export async function writeCheckpointFiles(store: RunStore, runId: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const target = checkpointDir(store, runId);
  const temp = tempSibling(target);
  try {
    await mkdir(temp, { recursive: true });
    // state.json last: a folder without it is never taken for a checkpoint.
    const names = Object.keys(files).sort((a, b) => Number(a === STATE_JSON) - Number(b === STATE_JSON));
    for (const name of names) await writeFileAtomic(path.join(temp, name), files[name]);
    await swapInto(temp, target);
  } catch (err) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw toStoreError(err);
  }
}

/**
 * Puts back a checkpoint that a save set aside and never replaced: the process was killed (a
 * quit mid-run ends the worker) between swapInto's two renames. Only an aside older than
 * STALE_TEMP_MS counts, so a save in progress right now is left alone. True when one was restored.
 */
async function restoreSetAside(store: RunStore, runId: string): Promise<boolean> {
  const dir = store.runDir(runId);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => ASIDE_NAME.exec(n)?.[1] === CHECKPOINT)) {
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (!info || Date.now() - info.mtimeMs < STALE_TEMP_MS) continue;
    const restored = await rename(path.join(dir, name), checkpointDir(store, runId)).then(
      () => true,
      () => false,
    );
    if (restored) return true;
  }
  return false;
}

/** Reads one file of a run's checkpoint; 'not-found' when there is no checkpoint. */
export async function readCheckpointFile(store: RunStore, runId: string, name: string): Promise<Buffer> {
  const file = path.join(checkpointDir(store, runId), name);
  try {
    return await readFile(file).catch(async (err: unknown) => {
      if (errnoOf(err) === 'ENOENT' && (await restoreSetAside(store, runId))) return readFile(file);
      throw err;
    });
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' && name === STATE_JSON)
      throw new StudioError('not-found', `Run ${runId} has no checkpoint to resume from.`);
    throw readError(err, `${runId}/${CHECKPOINT}/${name}`);
  }
}

/** The validated state.json of a run's checkpoint. */
export async function readCheckpointState(store: RunStore, runId: string): Promise<CheckpointState> {
  const label = `${runId}/${CHECKPOINT}/${STATE_JSON}`;
  const text = (await readCheckpointFile(store, runId, STATE_JSON)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StudioError('model-corrupt', `${label}: not valid JSON`);
  }
  const state = parseOrThrow(CheckpointStateSchema, value, label);
  if (state.runId !== runId) throw new StudioError('model-corrupt', `${label}: belongs to run ${state.runId}, not ${runId}`);
  return state;
}

/** Removes a run's checkpoint (after the finished run is saved); no error when there is none. */
export async function deleteCheckpoint(store: RunStore, runId: string): Promise<void> {
  await rm(checkpointDir(store, runId), { recursive: true, force: true });
}

/** Interrupted runs with a readable checkpoint and no finished run.json, newest first. */
export async function listResumable(store: RunStore): Promise<ResumableRun[]> {
  const entries = await readdir(store.runsDir, { withFileTypes: true }).catch(() => []);
  const found: ResumableRun[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !RunIdSchema.safeParse(entry.name).success) continue;
    const hasRecord = await readFile(path.join(store.runsDir, entry.name, 'run.json')).then(
      () => true,
      () => false,
    );
    if (hasRecord) continue;
    const state = await readCheckpointState(store, entry.name).catch(() => null);
    if (state) found.push(summarize(state));
  }
  return found.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

function summarize(state: CheckpointState): ResumableRun {
  const hp = state.request.hyperparams;
  return {
    runId: state.runId,
    name: state.request.name?.trim() || `${hp.cell.toUpperCase()} ${hp.units}`,
    hyperparams: hp,
    iteration: state.iteration,
    totalIterations: state.totalIterations,
    savedAt: state.savedAt,
  };
}
