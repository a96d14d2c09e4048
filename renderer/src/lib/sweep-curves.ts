/**
 * The data behind the sweep's two Chart.js pictures: one hyperparameter against accuracy (a
 * point per scored trial), and the validation curves per configuration, the mean across its
 * seeds with a ± one standard deviation band. Pure: no DOM.
 */
import type { SweepableField, SweepState } from '../../../common/sweep';
import { spread } from '../../../common/sweep-stats';
import { valueLabel } from './fields';
import type { XY } from './series';
import { configLabel } from './sweep-rows';
import { isChoiceField, LOG_FIELDS, optionsOf } from './sweep-form';

/** The scatter's x axis. */
export type ScatterAxis = { type: 'linear' | 'logarithmic' } | { type: 'category'; labels: string[] };

/** Points of one hyperparameter against best validation accuracy, and how to draw its x axis. */
export interface ScatterData {
  field: SweepableField;
  axis: ScatterAxis;
  /** x: the value (a category's index for choices); y: best validation accuracy, 0–1. */
  points: (XY & { trialIndex: number; configIndex: number })[];
}

/** One configuration's validation curve across its seeds. */
export interface ConfigCurve {
  configIndex: number;
  label: string;
  /** How many of its trials have a validation point. */
  seedCount: number;
  mean: XY[];
  /** Mean ± std where two or more seeds reached the iteration; the mean itself elsewhere. */
  lower: XY[];
  upper: XY[];
}

/**
 * Points of a choice share one x: spread the seeds of a category over ±JITTER so that they do
 * not hide each other, ordered by trial so the picture is the same on every redraw.
 */
const JITTER = 0.15;

/** The scatter of `field` against best validation accuracy, scored trials only. */
export function scatterData(state: SweepState, field: SweepableField): ScatterData {
  const scored = state.trials.filter((t) => t.bestValidation !== null);
  if (isChoiceField(field)) {
    const present = optionsOf(field).filter((c) => scored.some((t) => t.hyperparams[field] === c));
    const perCategory = new Map<string, number>();
    const points = scored.map((t) => {
      const value = String(t.hyperparams[field]);
      const k = perCategory.get(value) ?? 0;
      perCategory.set(value, k + 1);
      const count = scored.filter((s) => s.hyperparams[field] === value).length;
      const offset = count === 1 ? 0 : -JITTER + (2 * JITTER * k) / (count - 1);
      return { x: present.indexOf(value) + offset, y: t.bestValidation as number, trialIndex: t.index, configIndex: t.configIndex };
    });
    return { field, axis: { type: 'category', labels: present.map((c) => valueLabel(field, c)) }, points };
  }
  const points = scored.map((t) => ({
    x: Number(t.hyperparams[field]),
    y: t.bestValidation as number,
    trialIndex: t.index,
    configIndex: t.configIndex,
  }));
  const isLog = LOG_FIELDS.includes(field) && points.every((p) => p.x > 0);
  return { field, axis: { type: isLog ? 'logarithmic' : 'linear' }, points };
}

/** Each configuration's mean validation curve with its band, in plan order; configurations without points are left out. */
export function configCurves(state: SweepState): ConfigCurve[] {
  const byConfig = new Map<number, SweepState['trials']>();
  for (const trial of state.trials) byConfig.set(trial.configIndex, [...(byConfig.get(trial.configIndex) ?? []), trial]);
  const curves: ConfigCurve[] = [];
  for (const [configIndex, trials] of [...byConfig.entries()].sort(([a], [b]) => a - b)) {
    const withPoints = trials.filter((t) => t.validation.length > 0);
    if (withPoints.length === 0) continue;
    const iterations = [...new Set(withPoints.flatMap((t) => t.validation.map((p) => p.iteration)))].sort((a, b) => a - b);
    const curve: ConfigCurve = {
      configIndex,
      label: configLabel(trials[0].hyperparams, state.varied),
      seedCount: withPoints.length,
      mean: [],
      lower: [],
      upper: [],
    };
    for (const x of iterations) {
      const s = spread(withPoints.map((t) => t.validation.find((p) => p.iteration === x)?.accuracy ?? null));
      if (!s) continue;
      curve.mean.push({ x, y: s.mean });
      curve.lower.push({ x, y: s.mean - (s.std ?? 0) });
      curve.upper.push({ x, y: s.mean + (s.std ?? 0) });
    }
    curves.push(curve);
  }
  return curves;
}
