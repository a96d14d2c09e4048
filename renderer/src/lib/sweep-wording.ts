/**
 * A sweep plan and a sweep in words: the trial count, early stopping's rungs, a sweep's progress
 * and why it can be resumed. Pure: no DOM.
 */
import type { SweepStatus, SweepSummary } from '../../../common/sweep';
import { formatCount } from './format';

/** "3 configurations × 2 seeds = 6 trials" (singulars where they apply). */
export function trialCountText(configCount: number, seedsPerConfig: number, trialCount: number): string {
  return `${plural(configCount, 'configuration')} × ${plural(seedsPerConfig, 'seed')} = ${plural(trialCount, 'trial')}`;
}

/**
 * What early stopping will do, from the rung iterations the service computed: "stops the worst
 * 2/3 at iterations 100 and 300". At each rung the trials below the top 1/η stop.
 */
export function rungText(reductionFactor: number, rungIterations: readonly number[]): string {
  if (rungIterations.length === 0) return 'has no rung before the end of a trial';
  const at = rungIterations.map(formatCount);
  const list = at.length === 1 ? at[0] : `${at.slice(0, -1).join(', ')} and ${at.at(-1)}`;
  return `stops the worst ${reductionFactor - 1}/${reductionFactor} at iteration${at.length === 1 ? '' : 's'} ${list}`;
}

const STATUS_VERBS: Record<SweepStatus, string> = {
  running: 'is running',
  stopped: 'was stopped',
  done: 'finished',
  interrupted: 'was interrupted',
};

/** True for a sweep that has trials left and is not running: it can go on where it ended. */
export function isResumable(sweep: Pick<SweepSummary, 'status' | 'finished' | 'trialCount'>): boolean {
  return (sweep.status === 'interrupted' || sweep.status === 'stopped') && sweep.finished < sweep.trialCount;
}

/** "Sweep “LR” was interrupted after 5 of 12 trials", "… is running: 5 of 12 trials done". */
export function sweepProgressText(sweep: Pick<SweepSummary, 'name' | 'status' | 'finished' | 'trialCount'>): string {
  const of = `${formatCount(sweep.finished)} of ${plural(sweep.trialCount, 'trial')}`;
  const tail =
    sweep.status === 'done' ? `with ${plural(sweep.trialCount, 'trial')}` : sweep.status === 'running' ? `: ${of} done` : `after ${of}`;
  return `Sweep “${sweep.name}” ${STATUS_VERBS[sweep.status]}${sweep.status === 'running' ? '' : ' '}${tail}`;
}

function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
