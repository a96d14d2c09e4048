/**
 * Sweeps on disk: one `<sweepId>.json` per sweep in the sweeps folder, written atomically (temp
 * file, fsync, rename) after every change of state, read back validated. A file that cannot be
 * read is reported with the reason and left where it is: never silently replaced, so a person
 * (or a later version) can still recover it. No TensorFlow here, like the rest of the store.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '../../common/errors';
import { isTrialEnded, SweepRefSchema } from '../../common/sweep';
import type { DamagedSweep, SweepListing, SweepState, SweepSummary } from '../../common/sweep';
import { isTempName, writeFileAtomic } from './atomic';
import { errnoOf, readError, toStoreError } from './store-fs';
import { describeIssue } from './store-schema';
import { SweepStateSchema } from './sweep-schema';

export class SweepStore {
  /** Saves queue here so that an older state never lands after a newer one. */
  #writes: Promise<void> = Promise.resolve();

  constructor(readonly sweepsDir: string) {}

  /** Writes `state` atomically, after any save still in flight. */
  save(state: SweepState): Promise<void> {
    const text = `${JSON.stringify(state, null, 1)}\n`;
    const write = this.#writes.then(() =>
      writeFileAtomic(this.fileOf(state.sweepId), text).catch((err: unknown) => Promise.reject(toStoreError(err))),
    );
    this.#writes = write.catch(() => undefined);
    return write;
  }

  /** The validated state; 'not-found' when there is no such sweep, 'sweep-corrupt' naming the problem. */
  async load(sweepId: string): Promise<SweepState> {
    const label = `sweeps/${sweepId}.json`;
    let text: string;
    try {
      text = await readFile(this.fileOf(sweepId), 'utf8');
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') throw new StudioError('not-found', `There is no sweep ${sweepId}.`);
      throw readError(err, label);
    }
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new StudioError('sweep-corrupt', `${label}: not valid JSON (cut short or edited by hand?). The file is left as it is.`);
    }
    const parsed = SweepStateSchema.safeParse(value);
    if (!parsed.success)
      throw new StudioError('sweep-corrupt', `${label}: ${describeIssue(parsed.error.issues[0])}. The file is left as it is.`);
    if (parsed.data.sweepId !== sweepId) throw new StudioError('sweep-corrupt', `${label}: belongs to sweep ${parsed.data.sweepId}.`);
    return parsed.data;
  }

  /** Readable sweeps newest first, and the damaged ones with their reasons. */
  async list(): Promise<SweepListing> {
    const names = await readdir(this.sweepsDir).catch((err: unknown) =>
      errnoOf(err) === 'ENOENT' ? [] : Promise.reject(toStoreError(err)),
    );
    const sweeps: SweepSummary[] = [];
    const damaged: DamagedSweep[] = [];
    for (const name of names) {
      const sweepId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
      if (isTempName(name) || !SweepRefSchema.safeParse({ sweepId }).success) continue;
      try {
        sweeps.push(summarize(await this.load(sweepId)));
      } catch (err) {
        damaged.push({ sweepId, message: err instanceof Error ? err.message : String(err) });
      }
    }
    sweeps.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.sweepId.localeCompare(a.sweepId));
    return { sweeps, damaged };
  }

  /** Removes the sweep's file (its trials' runs stay: they are runs like any other), and its queue URL if it has one. */
  async delete(sweepId: string): Promise<void> {
    await this.load(sweepId).catch((err: unknown) => {
      if (err instanceof StudioError && err.code === 'not-found') throw err;
    }); // a damaged file may be deleted too: that is how a person clears it
    await rm(this.fileOf(sweepId), { force: true }).catch((err: unknown) => Promise.reject(toStoreError(err)));
    await rm(this.queueUrlFileOf(sweepId), { force: true }).catch(() => undefined);
  }

  /**
   * Keeps a sweep on workers' Redis URL, password and all, beside its file but apart from it
   * (`<sweepId>.queue-url`, readable by this user only): the sweep's own file, which front ends
   * read and people share, holds only the redacted URL.
   */
  async saveQueueUrl(sweepId: string, url: string): Promise<void> {
    await writeFileAtomic(this.queueUrlFileOf(sweepId), `${url}\n`, 0o600).catch((err: unknown) => Promise.reject(toStoreError(err)));
  }

  /** The URL saveQueueUrl kept; 'not-found' naming the file when it is gone. */
  async loadQueueUrl(sweepId: string): Promise<string> {
    const file = this.queueUrlFileOf(sweepId);
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch (err) {
      if (errnoOf(err) === 'ENOENT')
        throw new StudioError('not-found', `Sweep ${sweepId} runs on workers, but its Redis URL (${file}) is gone: start the sweep again.`);
      throw readError(err, file);
    }
  }

  fileOf(sweepId: string): string {
    return path.join(this.sweepsDir, `${sweepId}.json`);
  }

  queueUrlFileOf(sweepId: string): string {
    return path.join(this.sweepsDir, `${sweepId}.queue-url`);
  }
}

export function summarize(state: SweepState): SweepSummary {
  const scores = state.trials.map((t) => t.bestValidation).filter((v): v is number => v !== null);
  return {
    sweepId: state.sweepId,
    name: state.name,
    createdAt: state.createdAt,
    status: state.status,
    trialCount: state.trials.length,
    finished: state.trials.filter(isTrialEnded).length,
    bestValidation: scores.length > 0 ? Math.max(...scores) : null,
  };
}
