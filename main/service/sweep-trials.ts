/**
 * The bookkeeping every sweep runner shares, whether its trials train one after another here
 * (sweep-runner.ts) or on workers through a queue (main/queue/owner.ts): a trial's start request,
 * a validation score taken in and judged at its rungs (ASHA, asha.ts), a finished run's outcome,
 * and the sweep's event with its ETA. Pure functions of the sweep's state.
 */
import type { StartRequest } from '../../common/api';
import { isTrialEnded } from '../../common/sweep';
import type { SweepEvent, SweepState, SweepTrial } from '../../common/sweep';
import { rungIterations } from '../../common/sweep-plan';
import { shouldStopAtRung } from './asha';

const MAX_NAME = 200;

/** The run a trial trains: its hyperparameters, the plan's data limits, tagged with the sweep. */
export function trialRequest(trial: SweepTrial, state: SweepState): StartRequest {
  const { plan } = state;
  const name = `${state.name} · trial ${trial.index + 1}/${state.trials.length}`;
  return {
    hyperparams: trial.hyperparams,
    name: name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name,
    checkpointInterval: trial.hyperparams.validationInterval > 0 ? trial.hyperparams.validationInterval : 100,
    sweep: { sweepId: state.sweepId, trial: trial.index },
    ...(plan.trainLimit ? { trainLimit: plan.trainLimit } : {}),
    ...(plan.testLimit ? { testLimit: plan.testLimit } : {}),
  };
}

/** Best and final validation accuracy from the trial's curve. */
export function updateScores(trial: SweepTrial): void {
  const scores = trial.validation.map((p) => p.accuracy).filter((a) => Number.isFinite(a));
  trial.bestValidation = scores.length > 0 ? Math.max(...scores) : null;
  trial.finalValidation = scores.length > 0 ? scores[scores.length - 1] : null;
}

/**
 * Takes a validation score of a running trial and judges it at each rung it has just reached:
 * a configuration is judged once, on its first seed, against the first seeds of the
 * configurations that reached that rung before it. When it falls below the cutoff, the trial and
 * its configuration's seeds that have not started are marked pruned; the trials marked are
 * returned (the trial itself first), and stopping the running one is the caller's job.
 */
export function takeValidation(trial: SweepTrial, state: SweepState, point: { iteration: number; accuracy: number }): SweepTrial[] {
  trial.validation.push(point);
  trial.iterations = point.iteration;
  updateScores(trial);
  const rungs = rungIterations(trial.totalIterations, trial.hyperparams.validationInterval, state.plan.earlyStopping);
  const pruned: SweepTrial[] = [];
  rungs.forEach((at, r) => {
    if (trial.status !== 'running' || point.iteration < at || trial.rungScores[r] != null) return;
    const score = point.accuracy;
    trial.rungScores[r] = Number.isFinite(score) ? score : 0;
    while (trial.rungScores.length < rungs.length) trial.rungScores.push(null);
    if (!isFirstSeed(trial, state)) return;
    const earlier = state.trials
      .filter((t) => t !== trial && isFirstSeed(t, state) && t.rungScores[r] != null)
      .map((t) => t.rungScores[r] as number);
    if (shouldStopAtRung(earlier, score, state.plan.earlyStopping?.reductionFactor ?? 3)) pruned.push(...prune(trial, state));
  });
  return pruned;
}

/**
 * A trial's run ended and was saved: a pruned trial stays pruned, else stopped or done as the
 * run says.
 */
export function applyOutcome(
  trial: SweepTrial,
  run: { stopped: boolean; iterations: number; elapsedMs: number; testAccuracy: number | null },
): void {
  Object.assign(trial, { iterations: run.iterations, testAccuracy: run.testAccuracy, wallMs: run.elapsedMs });
  if (trial.status !== 'pruned') trial.status = run.stopped ? 'stopped' : 'done';
}

/**
 * The sweep's event: `current` is the trial training (the earliest of them on workers), and the
 * time left is the other unfinished trials' estimates, scaled by how long the finished
 * full-budget trials took against theirs and shared among `parallel` trials at a time.
 */
export function sweepEvent(state: SweepState, current: SweepTrial | null, estimateMs: (t: SweepTrial) => number, parallel = 1): SweepEvent {
  return {
    type: 'sweep',
    sweepId: state.sweepId,
    name: state.name,
    status: state.status,
    trialCount: state.trials.length,
    finished: state.trials.filter(isTrialEnded).length,
    currentTrial: current?.index ?? null,
    currentRunId: current?.runId ?? null,
    remainingAfterCurrentMs: Math.round(remainingMs(state, current, estimateMs) / Math.max(1, parallel)),
    problem: null,
  };
}

function remainingMs(state: SweepState, current: SweepTrial | null, estimate: (t: SweepTrial) => number): number {
  const finished = state.trials.filter((t) => t.status === 'done' && t.wallMs > 0);
  const estimated = finished.reduce((sum, t) => sum + estimate(t), 0);
  const scale = estimated > 0 ? finished.reduce((sum, t) => sum + t.wallMs, 0) / estimated : 1;
  const pending = state.trials.filter((t) => !isTrialEnded(t) && t !== current);
  return pending.reduce((sum, t) => sum + estimate(t), 0) * scale;
}

/**
 * Stops a configuration: this trial now (its partial run is kept), and its other seeds before
 * they start (or, on workers, wherever they have got to), so that every configuration's
 * mean ± std is over seeds that had the same budget.
 */
function prune(trial: SweepTrial, state: SweepState): SweepTrial[] {
  trial.status = 'pruned';
  const others = state.trials.filter(
    (t) => t !== trial && t.configIndex === trial.configIndex && (t.status === 'pending' || t.status === 'running'),
  );
  for (const other of others) other.status = 'pruned';
  return [trial, ...others];
}

/** Early stopping compares configurations, each by its first seed's scores. */
function isFirstSeed(trial: SweepTrial, state: SweepState): boolean {
  return state.trials.find((t) => t.configIndex === trial.configIndex) === trial;
}
