/**
 * Where a sweep's trials live in Redis. Every trial of every sweep is a job of one BullMQ queue,
 * so that a worker started with only a Redis URL serves any studio's sweeps; a job's id starts
 * with its sweep's namespace (the sweep id and a random part), so two studios planning sweeps on
 * one Redis never take, follow or import each other's trials. Beside each job, this app's own
 * keys: the stop decision the owner writes, and the checkpoint and result the worker uploads.
 */
import { randomBytes } from 'node:crypto';

/** The BullMQ queue every trial is a job of (no ":" allowed in it). */
export const QUEUE_NAME = 'lstm-studio-trials';
/** BullMQ's own key prefix, as its default: `bull:<queue>:…`. */
export const BULL_PREFIX = 'bull';
/** This app's keys beside BullMQ's. */
const KEY_PREFIX = 'lstm-studio:trial';

/** How long a trial's keys outlive their last write: a sweep left unattended for a week is given up. */
export const KEY_TTL_SECONDS = 7 * 24 * 3600;

/** `<sweepId>.<12 hex>`: a fresh namespace for a sweep; job ids and keys start with it. */
export function newNamespace(sweepId: string): string {
  return `${sweepId}.${randomBytes(6).toString('hex')}`;
}

/** The job id of trial `index` (0-based) of the sweep with `namespace`: `<namespace>.t<index>`. */
export function jobIdOf(namespace: string, index: number): string {
  return `${namespace}.t${index}`;
}

/** The trial a job id names within `namespace`; null for another sweep's job. */
export function trialOfJob(namespace: string, jobId: string): number | null {
  const prefix = `${namespace}.t`;
  if (!jobId.startsWith(prefix)) return null;
  const rest = jobId.slice(prefix.length);
  return /^\d{1,3}$/.test(rest) ? Number(rest) : null;
}

/**
 * The run id trial `index` trains and is saved under, the same on every worker and on the owner:
 * `<sweep time>-<random>-t<n>-<cell><units>`, e.g. `2026-12-02T01-40-12-9f3c2a-t3-lstm64`.
 */
export function runIdOf(namespace: string, trial: { index: number; hyperparams: { cell: string; units: number; layers: number } }): string {
  const [sweepId, random = ''] = namespace.split(/\.(?=[0-9a-f]{12}$)/);
  const { cell, units, layers } = trial.hyperparams;
  const stamp = sweepId
    .replace(/^sweep-/, '')
    .replace(/^[^A-Za-z0-9]/, 's')
    .slice(0, 80);
  return `${stamp}-${random.slice(0, 6)}-t${trial.index + 1}-${cell}${units}${layers > 1 ? `x${layers}` : ''}`;
}

/** The owner's stop decision for a job ('pruned' or 'stopped'); the worker reads it between progress reports. */
export function stopKey(jobId: string): string {
  return `${KEY_PREFIX}:${jobId}:stop`;
}

/** The latest checkpoint a worker uploaded for a job: where another worker resumes it. */
export function checkpointKey(jobId: string): string {
  return `${KEY_PREFIX}:${jobId}:checkpoint`;
}

/**
 * A finished trial's run (record and model files) as a worker uploaded it, until the owner
 * imports it; named by its checksum too, so that a worker which lost the trial's lock (and
 * finished it anyway) cannot overwrite the upload of the worker that completed it.
 */
export function resultKey(jobId: string, sha256: string): string {
  return `${KEY_PREFIX}:${jobId}:result:${sha256}`;
}
