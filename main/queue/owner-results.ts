/**
 * A trial's job has finished on a worker: what the owner makes of it. A completed job's return
 * value is checked (zod), its result blob fetched from Redis and checked (checksum, schema,
 * files, architecture: import-result.ts), and only then saved as the trial's run; a failed job,
 * or a result that does not pass, fails the trial with the reason and imports nothing. A run
 * already saved for the trial (the studio closed between saving it and forgetting the job) is
 * taken as it is: every trial is imported exactly once.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunRecord } from '../../common/api';
import { StudioError } from '../../common/errors';
import type { SweepState, SweepTrial } from '../../common/sweep';
import type { RunStore } from '../store/store';
import { describeIssue } from '../store/store-schema';
import { applyOutcome, updateScores } from '../service/sweep-trials';
import { decodeResult, TrialReturnSchema } from './codec';
import { importTrialRun } from './import-result';
import { jobIdOf, resultKey, runIdOf } from './names';
import { onWorkers } from './owner-reports';

export interface FinishedJob {
  trial: SweepTrial;
  state: SweepState;
  job: Job<unknown, unknown>;
  jobState: 'completed' | 'failed';
  keys: Redis;
  runStore: RunStore;
  /** The person stopped the sweep: a trial that never trained stays pending, to be resumed. */
  isStopRequested: boolean;
}

/**
 * Settles the trial from its finished job; true when it is settled (the job may be forgotten),
 * false when the import must be tried again later (the runs folder could not be written).
 */
export async function settleFinishedJob(finished: FinishedJob, warn: (message: string) => void): Promise<boolean> {
  const { trial, job, jobState } = finished;
  if (jobState === 'failed') {
    fail(trial, job.failedReason || 'the worker gave no reason');
    return true;
  }
  const returned = TrialReturnSchema.safeParse(job.returnvalue);
  if (!returned.success) {
    fail(trial, `its worker's answer is not a trial result (${describeIssue(returned.error.issues[0])}); nothing was imported`);
    return true;
  }
  const answer = returned.data;
  onWorkers(trial).worker = answer.worker;
  if (answer.outcome === 'skipped') {
    // Stopped before it trained: pruned stays pruned; a stopped sweep's trial waits for a resume.
    if (trial.status === 'running') trial.status = finished.isStopRequested ? 'pending' : 'stopped';
    return true;
  }
  try {
    const record = (await savedRun(finished)) ?? (await importResult(finished, answer.sha256));
    takeRecord(trial, record);
    return true;
  } catch (err) {
    if (err instanceof StudioError && err.code === 'model-corrupt') {
      fail(trial, `the result from ${answer.worker} was not imported: ${err.message}`);
      return true;
    }
    warn(
      `Trial ${trial.index + 1}'s result could not be saved yet (${err instanceof Error ? err.message : String(err)}); trying again shortly.`,
    );
    return false;
  }
}

/** The trial's run if it is on disk already, tagged with this very trial; null otherwise. */
async function savedRun({ trial, state, runStore }: FinishedJob): Promise<RunRecord | null> {
  const runId = runIdOf(state.queue?.namespace ?? '', trial);
  const record = await runStore.loadRecord(runId).catch(() => null);
  return record?.sweep?.sweepId === state.sweepId && record.sweep.trial === trial.index ? record : null;
}

async function importResult({ trial, state, keys, runStore }: FinishedJob, sha256: string): Promise<RunRecord> {
  const namespace = state.queue?.namespace ?? '';
  const blob = await keys.getBuffer(resultKey(jobIdOf(namespace, trial.index), sha256));
  if (!blob) throw new StudioError('model-corrupt', 'its run is missing from Redis (expired, or Redis lost it)');
  const payload = decodeResult(blob, sha256);
  return importTrialRun(runStore, payload, { sweepId: state.sweepId, trial, runId: runIdOf(namespace, trial) });
}

/** The imported run's curve and outcome into the trial. */
function takeRecord(trial: SweepTrial, record: RunRecord): void {
  trial.runId = record.runId;
  trial.validation = record.history.validation
    .filter((p) => Number.isFinite(p.accuracy))
    .map(({ iteration, accuracy }) => ({ iteration, accuracy }));
  updateScores(trial);
  if (trial.status === 'pending') trial.status = 'running'; // finished before its start was seen
  applyOutcome(trial, {
    stopped: record.stopped,
    iterations: record.iterations,
    elapsedMs: record.elapsedMs,
    testAccuracy: record.testAccuracy,
  });
  trial.error = null;
}

function fail(trial: SweepTrial, reason: string): void {
  Object.assign(trial, { status: 'failed', error: reason });
}
