/** Text for `npm run sweep`'s terminal: the plan, one line per finished trial, and the ranking. */
import type { SweepEvent, SweepPreview, SweepState, SweepSummary, SweepTrial } from '../../common/sweep';
import { bestConfig, groupByConfig } from '../../common/sweep-stats';
import type { Spread } from '../../common/sweep-stats';
import { formatDuration } from './progress';

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '   -  ' : `${(x * 100).toFixed(2)}%`);
const spreadText = (s: Spread | null) => (s ? `${pct(s.mean)}${s.std === null ? '' : ` ± ${(s.std * 100).toFixed(2)}`}` : '-');

/** "units=64 learningRate=0.003", the varied fields only. */
export function configText(trial: Pick<SweepTrial, 'hyperparams'>, varied: readonly string[]): string {
  const hp = trial.hyperparams as unknown as Record<string, unknown>;
  return varied.length > 0 ? varied.map((field) => `${field}=${String(hp[field])}`).join(' ') : '(base configuration)';
}

export function planLines(preview: SweepPreview, name: string): string[] {
  const rungs = preview.rungIterations.length > 0 ? `; early stopping at iterations ${preview.rungIterations.join(', ')}` : '';
  return [
    `Sweep "${name}": ${preview.configCount} configuration${preview.configCount === 1 ? '' : 's'}, ${preview.trialCount} trial${preview.trialCount === 1 ? '' : 's'}${rungs}`,
    `About ${formatDuration(preview.estimateMs)} on this machine (from ${preview.estimateBasis}${rungs ? '; less with early stopping' : ''})`,
  ];
}

/** `trial 3/12  units=64 seed=2  done  best val 97.10%  test 96.80%  800/800 it  1:02` */
export function trialLine(trial: SweepTrial, state: SweepState): string {
  const status = trial.status === 'pruned' ? 'stopped early' : trial.status;
  const parts = [
    `trial ${trial.index + 1}/${state.trials.length}`,
    `${configText(trial, state.varied)} seed=${trial.hyperparams.seed ?? '-'}`,
    status,
    `best val ${pct(trial.bestValidation)}`,
    `test ${pct(trial.testAccuracy)}`,
    `${trial.iterations}/${trial.totalIterations} it`,
    formatDuration(trial.wallMs),
  ];
  if (trial.queue?.worker) parts.push(`on ${trial.queue.worker}${trial.queue.attempts > 1 ? ` (attempt ${trial.queue.attempts})` : ''}`);
  if (trial.error) parts.push(`(${trial.error})`);
  return parts.join('  ');
}

/** A sweep on workers: `trial 3/12  units=64 seed=2  on lab-pc:4121` (`, attempt 2: <why>` after a retry). */
export function workerLine(trial: SweepTrial, state: SweepState): string {
  const queue = trial.queue;
  const retry = queue && queue.attempts > 1 ? `, attempt ${queue.attempts}${queue.retryReason ? `: ${queue.retryReason}` : ''}` : '';
  return `trial ${trial.index + 1}/${state.trials.length}  ${configText(trial, state.varied)} seed=${trial.hyperparams.seed ?? '-'}  on ${queue?.worker ?? '?'}${retry}`;
}

/** A sweep on workers, on one terminal line: `2 on workers (lab-pc:4121 45%, vm:88 10%) · 5 waiting · 4/12 finished`. */
export function queueLine(event: SweepEvent): string {
  const running = event.queue?.running ?? [];
  const each = running.map(
    (t) => `t${t.trial + 1} ${t.worker ?? '?'} ${Math.floor((100 * t.iteration) / Math.max(1, t.totalIterations))}%`,
  );
  return `${running.length} on workers${each.length > 0 ? ` (${each.join(', ')})` : ''} · ${event.queue?.waiting ?? 0} waiting · ${event.finished}/${event.trialCount} finished`;
}

/** The configurations ranked by mean best validation accuracy, and the best one. */
export function rankingLines(state: SweepState): string[] {
  const groups = groupByConfig(state.trials).sort((a, b) => (b.bestValidation?.mean ?? -1) - (a.bestValidation?.mean ?? -1));
  const best = bestConfig(groups);
  const lines = ['', 'Configurations, best validation accuracy first (mean ± std over seeds):'];
  groups.forEach((group, rank) => {
    const mark = group === best ? '*' : ' ';
    const statuses = [...new Set(group.trials.map((t) => (t.status === 'pruned' ? 'stopped early' : t.status)))].join(', ');
    lines.push(
      `${mark}${String(rank + 1).padStart(3)}. ${configText(group.trials[0], state.varied).padEnd(40)} val ${spreadText(group.bestValidation).padEnd(16)} test ${spreadText(group.testAccuracy).padEnd(16)} ${statuses}`,
    );
  });
  if (best) lines.push('', `Best: ${configText(best.trials[0], state.varied)} (trial runs: ${best.trials.map((t) => t.runId).join(', ')})`);
  return lines;
}

export function listLines(sweeps: readonly SweepSummary[], damaged: readonly { sweepId: string; message: string }[]): string[] {
  if (sweeps.length === 0 && damaged.length === 0) return ['No sweeps saved yet.'];
  return [
    ...sweeps.map(
      (s) => `${s.sweepId}  ${s.status.padEnd(11)} ${s.finished}/${s.trialCount} trials  best val ${pct(s.bestValidation)}  ${s.name}`,
    ),
    ...damaged.map((d) => `${d.sweepId}  DAMAGED: ${d.message}`),
  ];
}
