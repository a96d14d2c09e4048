/**
 * The model store: one folder per run under `runsDir` holding run.json, model.json and
 * weights.bin (plus a checkpoint/ folder the engine may write). A save writes a hidden temp
 * folder and renames it into place, so a reader sees the old run or the whole new one. Every read
 * is validated before use. No TensorFlow here: the Electron main process lists and deletes runs
 * with this module and must not pay for loading tf.
 */
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import type { RunRecord, RunSummary } from '../../common/api';
import { StudioError } from '../../common/errors';
import { STALE_TEMP_MS, isTempName, tempSibling, writeFileAtomic } from './atomic';
import type { ModelJson } from './store-schema';
import { RunIdSchema, checkModelFiles, checkWeightBytes, parseModelJson, parseRunRecord } from './store-schema';
import { ASIDE_NAME, CHECKPOINT, copyTree, errnoOf, readError, readTree, swapInto, syncDir, toStoreError } from './store-fs';
import type { TreeFile } from './store-fs';

export type { ModelJson } from './store-schema';
export type { TreeFile } from './store-fs';
export { RunRecordSchema, ModelJsonSchema, checkModelFiles, expectedWeightBytes, parseModelJson } from './store-schema';

/** A run's TF.js model as bytes: model.json's content and weights.bin. */
export interface ModelFiles {
  modelJson: ModelJson;
  /** Every weight in manifest order, little-endian, as weights.bin holds it. */
  weights: Uint8Array;
}

/** A run folder that cannot be used, and why (names the file and the problem). */
export interface RunProblem {
  runId: string;
  message: string;
}

const RUN_JSON = 'run.json';
const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Run folders on disk: atomic saves, validated loads, listing, delete and export. */
export class RunStore {
  constructor(readonly runsDir: string) {}

  /** The folder of `runId`; throws 'invalid-input' for an id that is not a plain folder name. */
  runDir(runId: string): string {
    const parsed = RunIdSchema.safeParse(runId);
    if (!parsed.success) {
      throw new StudioError('invalid-input', `run id ${JSON.stringify(runId)}: ${parsed.error.issues[0].message}`);
    }
    const dir = path.join(this.runsDir, runId);
    // The id pattern already excludes separators and ".."; this guards against a future change to it.
    if (path.relative(this.runsDir, dir) !== runId) {
      throw new StudioError('invalid-input', `run id "${runId}" escapes the runs folder`);
    }
    return dir;
  }

  /**
   * Writes the run atomically: files into a hidden temp folder (each fsynced, run.json last),
   * then one rename. An existing run with that id is swapped out; its checkpoint/ is kept.
   * Disk failures become 'disk' errors and leave no partial folder.
   */
  async saveRun(record: RunRecord, files: ModelFiles): Promise<void> {
    const target = this.runDir(record.runId);
    const runJson = serializeRecord(record);
    try {
      checkModelFiles(files, record.runId);
    } catch (err) {
      throw new StudioError('internal', `refusing to save run "${record.runId}": ${(err as Error).message}`);
    }
    const temp = tempSibling(target);
    try {
      await mkdir(this.runsDir, { recursive: true });
      // Not recursive: on a read-only disk Node's recursive mkdir reports ENOENT, this one EROFS.
      await mkdir(temp);
      await writeFileAtomic(path.join(temp, WEIGHTS_BIN), files.weights);
      await writeFileAtomic(path.join(temp, MODEL_JSON), JSON.stringify(files.modelJson));
      await writeFileAtomic(path.join(temp, RUN_JSON), runJson);
      await swapInto(temp, target);
    } catch (err) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw toStoreError(err);
    }
  }

  /** The usable runs, newest first. */
  async list(): Promise<RunSummary[]> {
    return (await this.listWithProblems()).runs;
  }

  /**
   * Usable runs (newest first) and damaged ones apart. Sweeps hidden folders that a killed save
   * or delete left behind; folders holding only a checkpoint/ (a run still training) are skipped.
   */
  async listWithProblems(): Promise<{ runs: RunSummary[]; problems: RunProblem[] }> {
    const runs: RunSummary[] = [];
    const problems: RunProblem[] = [];
    let entries = await this.readRunsDir();
    const hidden = entries.filter((entry) => isTempName(entry.name));
    for (const entry of hidden) await this.sweep(entry.name);
    // A sweep may have put a run back: read the folder again.
    if (hidden.length > 0) entries = await this.readRunsDir();
    for (const entry of entries) {
      if (!entry.isDirectory() || isTempName(entry.name) || !RunIdSchema.safeParse(entry.name).success) continue;
      const outcome = await this.inspect(entry.name);
      if (outcome && 'message' in outcome) problems.push(outcome);
      else if (outcome) runs.push(outcome);
    }
    runs.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.runId.localeCompare(a.runId));
    return { runs, problems };
  }

  /** run.json, validated; 'not-found' without the folder, 'model-corrupt' naming the problem. */
  async loadRecord(runId: string): Promise<RunRecord> {
    await this.existingRunDir(runId);
    const label = `${runId}/${RUN_JSON}`;
    const record = parseRunRecord(parseJson(await this.readRunFile(runId, RUN_JSON), label), label);
    // The folder name is the run's identity: a copied or renamed folder must not alias another run.
    return { ...record, runId };
  }

  /** model.json and weights.bin, checked against each other ('model-corrupt' naming the file). */
  async loadModelFiles(runId: string): Promise<ModelFiles> {
    const modelJson = await this.readModelJson(runId);
    const bytes = await this.readRunFile(runId, WEIGHTS_BIN);
    checkWeightBytes(modelJson, bytes.byteLength, `${runId}/${WEIGHTS_BIN}`);
    return { modelJson, weights: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /**
   * Identity and size of the run's three files, cheap to compute (three stats): equal prints
   * mean the files were not replaced, so a model loaded from them may be served again.
   */
  async fingerprint(runId: string): Promise<string> {
    const dir = this.runDir(runId);
    const stats = await Promise.all([RUN_JSON, MODEL_JSON, WEIGHTS_BIN].map((name) => stat(path.join(dir, name))));
    return stats.map((s) => `${s.ino}:${s.size}:${s.mtimeMs}`).join('|');
  }

  /** Removes the run; 'not-found' if there is none. */
  async deleteRun(runId: string): Promise<void> {
    const dir = await this.existingRunDir(runId);
    // Renamed away first, so a delete cut short never shows up as a damaged run.
    const doomed = tempSibling(dir);
    try {
      await rename(dir, doomed);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') throw this.notFound(runId);
      throw toStoreError(err);
    }
    await rm(doomed, { recursive: true, force: true }).catch(() => undefined);
  }

  /** Copies a valid run to `destinationDir/<runId>` (temp folder, then rename); returns that path. */
  async exportRun(runId: string, destinationDir: string): Promise<string> {
    const source = await this.existingRunDir(runId);
    await this.loadRecord(runId);
    await this.checkModel(runId);
    const target = path.join(path.resolve(destinationDir), runId);
    const alreadyThere = () => new StudioError('invalid-input', `${target} already exists: choose another folder or remove it first`);
    if (await stat(target).catch(() => null)) throw alreadyThere();
    const temp = tempSibling(target);
    try {
      await copyTree(source, temp);
      await rename(temp, target);
      await syncDir(path.dirname(target));
    } catch (err) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      // Another export of the same run into the same folder finished first.
      if (['ENOTEMPTY', 'EEXIST'].includes(errnoOf(err) ?? '')) throw alreadyThere();
      throw toStoreError(err);
    }
    return target;
  }

  /**
   * Every file of a valid run (checked as exportRun checks it), with its path inside the run
   * folder: what browser mode zips for a download, as it has no folder to copy into.
   */
  async readRunFiles(runId: string): Promise<TreeFile[]> {
    const source = await this.existingRunDir(runId);
    await this.loadRecord(runId);
    await this.checkModel(runId);
    return readTree(source).catch((err: unknown) => {
      throw toStoreError(err);
    });
  }

  /** A summary, a problem, or null for a folder that is not (yet) a run. */
  private async inspect(runId: string): Promise<RunSummary | RunProblem | null> {
    const dir = this.runDir(runId);
    const hasRecord = await exists(path.join(dir, RUN_JSON));
    if (!hasRecord && (await exists(path.join(dir, CHECKPOINT)))) return null;
    try {
      const record = await this.loadRecord(runId);
      await this.checkModel(runId);
      return toSummary(record);
    } catch (err) {
      if (!(err instanceof StudioError)) throw err;
      // Deleted between readdir and now: simply gone, not damaged.
      return err.code === 'not-found' ? null : { runId, message: err.message };
    }
  }

  /** model.json valid and weights.bin of the declared size, without reading the weights. */
  private async checkModel(runId: string): Promise<void> {
    const modelJson = await this.readModelJson(runId);
    const label = `${runId}/${WEIGHTS_BIN}`;
    const info = await stat(path.join(this.runDir(runId), WEIGHTS_BIN)).catch((err: unknown) => {
      throw readError(err, label);
    });
    checkWeightBytes(modelJson, info.size, label);
  }

  private async readModelJson(runId: string): Promise<ModelJson> {
    await this.existingRunDir(runId);
    const label = `${runId}/${MODEL_JSON}`;
    return parseModelJson(parseJson(await this.readRunFile(runId, MODEL_JSON), label), label);
  }

  private async readRunFile(runId: string, name: string): Promise<Buffer> {
    try {
      return await readFile(path.join(this.runDir(runId), name));
    } catch (err) {
      throw readError(err, `${runId}/${name}`);
    }
  }

  private async existingRunDir(runId: string): Promise<string> {
    const dir = this.runDir(runId);
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) throw this.notFound(runId);
    return dir;
  }

  private notFound(runId: string): StudioError {
    return new StudioError('not-found', `No run "${runId}" in ${this.runsDir}`);
  }

  private async readRunsDir(): Promise<Dirent[]> {
    try {
      return await readdir(this.runsDir, { withFileTypes: true });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return [];
      throw errnoOf(err) === 'ENOTDIR' ? toStoreError(err) : readError(err, this.runsDir);
    }
  }

  /**
   * Removes a stale hidden folder. A set-aside old copy whose run is missing means a save was
   * killed between its two renames: the old copy is put back rather than lost.
   */
  private async sweep(name: string): Promise<void> {
    const full = path.join(this.runsDir, name);
    const info = await stat(full).catch(() => null);
    if (!info || Date.now() - info.mtimeMs < STALE_TEMP_MS) return;
    const aside = ASIDE_NAME.exec(name);
    try {
      if (aside && !(await exists(path.join(this.runsDir, aside[1])))) await rename(full, path.join(this.runsDir, aside[1]));
      else await rm(full, { recursive: true, force: true });
    } catch {
      // Listing must work on a read-only disk; the sweep is retried on the next list.
    }
  }
}

/** run.json's text, after checking that what we write is what a later load accepts. */
function serializeRecord(record: RunRecord): string {
  const text = `${JSON.stringify(record, null, 2)}\n`;
  try {
    parseRunRecord(JSON.parse(text), `${record.runId}/${RUN_JSON}`);
  } catch (err) {
    throw new StudioError('internal', `refusing to save run "${record.runId}": ${(err as Error).message}`);
  }
  return text;
}

function parseJson(bytes: Buffer, label: string): unknown {
  try {
    // A hand edit in some Windows editors adds a byte-order mark, which JSON.parse rejects.
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new StudioError('model-corrupt', `${label}: not valid JSON (${(err as Error).message})`);
  }
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null;
}

function toSummary(record: RunRecord): RunSummary {
  const { runId, name, createdAt, hyperparams, seed, backend, iterations, stopped, testAccuracy, testCount, elapsedMs, sweep, parent } =
    record;
  const summary: RunSummary = {
    runId,
    name,
    createdAt,
    hyperparams,
    seed,
    backend,
    iterations,
    stopped,
    testAccuracy,
    testCount,
    elapsedMs,
  };
  return { ...summary, ...(sweep ? { sweep } : {}), ...(parent ? { parent } : {}) };
}
