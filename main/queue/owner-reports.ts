/**
 * What the owner of a sweep on workers makes of a worker's report on one trial: which worker has
 * it and on which attempt, where it (re)started, its live progress, a validation score judged at
 * the rungs (ASHA, decided here and nowhere else), the checkpoint it can resume from. Pure
 * functions of the sweep's state; the owner saves, tells the front ends and sends stop decisions.
 */
import type { SweepState, SweepTrial, TrialLive, TrialOnWorkers } from '../../common/sweep';
import { takeValidation, updateScores } from '../service/sweep-trials';
import type { TrialReport } from './codec';

/** What a report changed. */
export interface ReportEffect {
  /** The sweep's file changed: save it and send a full sweep event. */
  isStateChanged: boolean;
  /** Trials early stopping has just stopped (the reporting one first): stop them where they run. */
  pruned: SweepTrial[];
}

const NOTHING: ReportEffect = { isStateChanged: false, pruned: [] };

/** The trial's queue record, created on first use. */
export function onWorkers(trial: SweepTrial): TrialOnWorkers {
  trial.queue ??= { worker: null, attempts: 0, retryReason: null, checkpoint: null };
  return trial.queue;
}

/**
 * Applies `report` about `trial` to the sweep and its live view. A report about a trial that has
 * ended (a straggler from a worker that was told to stop, or a duplicate after a retry) only
 * updates the live view.
 */
export function applyReport(
  state: SweepState,
  trial: SweepTrial,
  report: TrialReport,
  live: Map<number, TrialLive>,
  runId: string,
): ReportEffect {
  const isActive = trial.status === 'running' || trial.status === 'pending';
  const entry = live.get(trial.index) ?? {
    trial: trial.index,
    runId,
    worker: report.worker,
    iteration: 0,
    totalIterations: trial.totalIterations,
    samplesPerSec: 0,
    etaMs: 0,
  };
  live.set(trial.index, { ...entry, worker: report.worker });
  switch (report.type) {
    case 'claimed': {
      if (!isActive) return NOTHING;
      const queue = onWorkers(trial);
      if (report.attempt > 1 && queue.worker !== null && queue.retryReason === null) queue.retryReason = `${queue.worker} stopped with it`;
      Object.assign(queue, { worker: report.worker, attempts: Math.max(queue.attempts, report.attempt) });
      Object.assign(trial, { status: 'running', runId });
      return { isStateChanged: true, pruned: [] };
    }
    case 'started': {
      live.set(trial.index, {
        ...entry,
        worker: report.worker,
        totalIterations: report.totalIterations,
        iteration: report.resumedFrom ?? 0,
      });
      if (!isActive) return NOTHING;
      // A fresh start drops what an earlier attempt reported; a resume keeps the checkpoint's curve.
      trial.validation = report.validation.map((p) => ({ iteration: p.iteration, accuracy: p.accuracy }));
      Object.assign(trial, { status: 'running', runId, totalIterations: report.totalIterations });
      onWorkers(trial).worker = report.worker;
      updateScores(trial);
      return { isStateChanged: true, pruned: [] };
    }
    case 'progress': {
      const { iteration, totalIterations, samplesPerSec, etaMs } = report;
      live.set(trial.index, { ...entry, worker: report.worker, iteration, totalIterations, samplesPerSec, etaMs });
      if (!isActive || !report.validation) return NOTHING;
      if (trial.validation.some((p) => p.iteration === report.validation?.iteration)) return NOTHING;
      trial.status = 'running';
      const pruned = takeValidation(trial, state, report.validation);
      return { isStateChanged: true, pruned };
    }
    case 'checkpoint': {
      if (!isActive) return NOTHING;
      onWorkers(trial).checkpoint = report.iteration;
      return { isStateChanged: true, pruned: [] };
    }
  }
}
