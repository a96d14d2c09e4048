/**
 * A sweep's results as table rows: one per trial, or one per configuration with the mean and
 * standard deviation across its seeds (common/sweep-stats.ts), the columns that show them, and
 * each cell's text. Rows keep raw values (fractions, milliseconds) so that sorting, filtering
 * and the CSV export read numbers, and only the table formats them. Pure: no DOM.
 */
import type { Hyperparams } from '../../../common/api';
import { isTrialEnded } from '../../../common/sweep';
import type { SweepableField, SweepState, SweepTrial, TrialLive, TrialStatus } from '../../../common/sweep';
import { groupByConfig, type ConfigResult } from '../../../common/sweep-stats';
import { fieldLabel, valueLabel } from './fields';
import { formatCount, formatDuration, formatNumber, formatPercent } from './format';

/** A raw cell value. */
export type CellValue = number | string | null;

/** How a column's values read. */
export type ColumnKind = 'index' | 'param' | 'count' | 'percent' | 'iterations' | 'status' | 'duration';

/** One column of the results table. */
export interface Column {
  /** The key into `ResultRow.values`. */
  id: string;
  label: string;
  kind: ColumnKind;
}

/** One row: a trial, or a configuration across its seeds. */
export interface ResultRow {
  /** Unique within the table. */
  key: string;
  configIndex: number;
  /** Raw values by column id; `totalIterations` rides along for the iterations column. */
  values: Record<string, CellValue>;
  /** Sample standard deviations by column id (configuration rows with two or more scores). */
  std: Record<string, number | null>;
  /** The runs behind the row, for opening them. */
  runIds: string[];
  /**
   * What "Train this" puts in the Train form: a trial's hyperparameters with its seed, or a
   * configuration's with the seed of its best trial.
   */
  trainWith: Hyperparams;
  /** Why a trial failed, for its tooltip. */
  note: string | null;
}

/** What a trial's status reads as. */
export const STATUS_LABELS: Record<TrialStatus, string> = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  pruned: 'stopped early',
  stopped: 'stopped',
  failed: 'failed',
};

/** A pruned trial that never started: early stopping dropped its configuration on an earlier seed. */
const SKIPPED = 'skipped';
const isSkipped = (trial: SweepTrial) => trial.status === 'pruned' && trial.runId === null;

const SCORES = ['bestValidation', 'finalValidation', 'testAccuracy'] as const;
const SCORE_LABELS: Record<(typeof SCORES)[number], string> = {
  bestValidation: 'Best val.',
  finalValidation: 'Final val.',
  testAccuracy: 'Test',
};

/** A sweep on workers: a waiting trial reads "waiting", a running one names its worker and how far it is. */
function queuedStatus(trial: SweepTrial, live: TrialLive | undefined): string {
  const retried = (trial.queue?.attempts ?? 0) > 1 ? ', retried' : '';
  if (trial.status === 'pending') return `waiting${(trial.queue?.attempts ?? 0) > 0 ? ' (retry)' : ''}`;
  if (trial.status !== 'running') return `${STATUS_LABELS[trial.status]}${retried}`;
  const worker = live?.worker ?? trial.queue?.worker;
  const percent = live ? ` ${Math.floor((100 * live.iteration) / Math.max(1, live.totalIterations))} %` : '';
  return worker ? `running on ${worker}${percent}` : 'starting';
}

/** The table's columns: the varied hyperparameters, then seeds, scores, progress, status and time (and, on workers, the worker). */
export function resultColumns(varied: readonly SweepableField[], isGrouped: boolean, isOnWorkers = false): Column[] {
  return [
    isGrouped ? { id: 'config', label: 'Config', kind: 'index' } : { id: 'trial', label: 'Trial', kind: 'index' },
    ...varied.map((field): Column => ({ id: field, label: fieldLabel(field), kind: 'param' })),
    isGrouped ? { id: 'seeds', label: 'Seeds', kind: 'count' } : { id: 'seed', label: 'Seed', kind: 'count' },
    ...SCORES.map((id): Column => ({ id, label: SCORE_LABELS[id], kind: 'percent' })),
    { id: 'iterations', label: 'Iterations', kind: 'iterations' },
    { id: 'status', label: 'Status', kind: 'status' },
    ...(isOnWorkers && !isGrouped ? [{ id: 'worker', label: 'Worker', kind: 'status' } as Column] : []),
    { id: 'wallMs', label: 'Wall time', kind: 'duration' },
  ];
}

/**
 * One row per trial, in trial order. On workers, `live` (the sweep event's running trials) gives
 * each running trial's worker and iteration as they train.
 */
export function trialRows(state: SweepState, live: readonly TrialLive[] = []): ResultRow[] {
  return state.trials.map((trial) => trialRow(state, trial, state.queue ? live.find((l) => l.trial === trial.index) : undefined));
}

function trialRow(state: SweepState, trial: SweepTrial, live: TrialLive | undefined): ResultRow {
  const retry =
    trial.queue && trial.queue.attempts > 1 ? `Attempt ${trial.queue.attempts}: ${trial.queue.retryReason ?? 'its worker stopped'}` : null;
  const worker = trial.queue?.worker ?? live?.worker ?? null;
  return {
    key: `trial-${trial.index}`,
    configIndex: trial.configIndex,
    values: {
      trial: trial.index + 1,
      ...paramValues(trial.hyperparams, state.varied),
      seed: trial.hyperparams.seed,
      bestValidation: trial.bestValidation,
      finalValidation: trial.finalValidation,
      testAccuracy: trial.testAccuracy,
      iterations: trial.status === 'running' && live ? live.iteration : trial.iterations,
      totalIterations: live?.totalIterations ?? trial.totalIterations,
      status: isSkipped(trial) ? SKIPPED : state.queue ? queuedStatus(trial, live) : STATUS_LABELS[trial.status],
      ...(state.queue ? { worker } : {}),
      wallMs: trial.wallMs,
    },
    std: {},
    // On workers a run exists only once it is imported (its wall time then comes from it).
    runIds: trial.runId && (!state.queue || (isTrialEnded(trial) && trial.status !== 'failed' && trial.wallMs > 0)) ? [trial.runId] : [],
    trainWith: trial.hyperparams,
    note: trial.error ?? (isSkipped(trial) ? 'Not run: its configuration was stopped early on another seed.' : retry),
  };
}

/** One row per configuration, in plan order: scores as mean (std beside), time summed over its seeds. */
export function configRows(state: SweepState): ResultRow[] {
  return groupByConfig(state.trials).map((result) => ({
    key: `config-${result.configIndex}`,
    configIndex: result.configIndex,
    values: {
      config: result.configIndex + 1,
      ...paramValues(result.hyperparams, state.varied),
      seeds: result.trials.length,
      ...Object.fromEntries(SCORES.map((id) => [id, result[id]?.mean ?? null])),
      iterations: mean(result.trials.map((t) => t.iterations)),
      totalIterations: mean(result.trials.map((t) => t.totalIterations)),
      status: statusSummary(result.trials),
      wallMs: result.trials.reduce((sum, t) => sum + t.wallMs, 0),
    },
    std: Object.fromEntries(SCORES.map((id) => [id, result[id]?.std ?? null])),
    runIds: result.trials.flatMap((t) => (t.runId ? [t.runId] : [])),
    // No trial scored yet (all pending or failed): its first seed, so the run can be told apart from a fresh one.
    trainWith: { ...result.hyperparams, seed: bestSeedOf(result) ?? result.trials[0]?.hyperparams.seed ?? null },
    note: result.trials.find((t) => t.error)?.error ?? null,
  }));
}

/** A cell as the table shows it: "97.4 % ± 0.3", "20 / 40", "stopped early". */
export function formatCell(column: Column, row: ResultRow): string {
  const value = row.values[column.id];
  if (value === null || value === undefined) return '—';
  switch (column.kind) {
    case 'param':
      return typeof value === 'number' ? formatNumber(value) : valueLabel(column.id as SweepableField, value);
    case 'percent': {
      const std = row.std[column.id];
      return typeof value === 'number' ? `${formatPercent(value)}${typeof std === 'number' ? ` ± ${(std * 100).toFixed(1)}` : ''}` : '—';
    }
    case 'iterations': {
      const total = row.values.totalIterations;
      return `${formatCount(Number(value))} / ${typeof total === 'number' ? formatCount(total) : '—'}`;
    }
    case 'duration':
      return typeof value === 'number' ? formatDuration(value) : String(value);
    default:
      return String(value); // trial numbers, seeds, statuses: a seed reads 12345, not 12,345
  }
}

/** A configuration in words, its varied values only: "Units 16, Learning rate 0.003". */
export function configLabel(hyperparams: Omit<Hyperparams, 'seed'>, varied: readonly SweepableField[]): string {
  if (varied.length === 0) return 'the base configuration';
  return varied
    .map((field) => {
      const value = hyperparams[field];
      return `${fieldLabel(field)} ${typeof value === 'number' ? formatNumber(value) : valueLabel(field, value)}`;
    })
    .join(', ');
}

/** The best configuration's seed to train it again with: that of its best-scoring trial. */
export function bestSeedOf(result: ConfigResult): number | null {
  const scored = result.trials.filter((t) => t.bestValidation !== null);
  const best = scored.reduce<SweepTrial | null>((a, t) => (!a || (t.bestValidation ?? 0) > (a.bestValidation ?? 0) ? t : a), null);
  return best?.hyperparams.seed ?? null;
}

function paramValues(hyperparams: Omit<Hyperparams, 'seed'>, varied: readonly SweepableField[]): Record<string, CellValue> {
  return Object.fromEntries(varied.map((field) => [field, hyperparams[field]]));
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : Math.round(values.reduce((sum, v) => sum + v, 0) / values.length);
}

/** "2 done", "1 done, 1 stopped early": the statuses of a configuration's trials, in a fixed order. */
function statusSummary(trials: readonly SweepTrial[]): string {
  const order = Object.keys(STATUS_LABELS) as TrialStatus[];
  return order
    .map((status) => [status, trials.filter((t) => t.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${STATUS_LABELS[status]}`)
    .join(', ');
}
