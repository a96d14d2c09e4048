/**
 * The parallel-coordinates plot's geometry: one vertical axis per varied hyperparameter (log for
 * the learning rate, categories for cell and optimizer, linear otherwise) and a last one for the
 * best validation accuracy; each scored trial is a line through its values. Positions are
 * fractions 0–1 from the bottom of an axis, so the component only multiplies by its size.
 * Pure: no DOM.
 */
import type { SweepableField, SweepTrial } from '../../../common/sweep';
import { fieldLabel, valueLabel } from './fields';
import { formatNumber, formatPercent } from './format';
import { isChoiceField, LOG_FIELDS, optionsOf } from './sweep-form';

/** How an axis places values. */
export type AxisScale = 'linear' | 'log' | 'category';

/** One vertical axis. */
export interface Axis {
  /** A hyperparameter, or 'accuracy' for the best validation accuracy (its short label: the legend says which). */
  id: SweepableField | 'accuracy';
  label: string;
  scale: AxisScale;
  /** Numeric axes: the values at the bottom and the top (for log, the values themselves). */
  domain: [number, number];
  /** Categories, bottom to top. */
  categories: string[];
  ticks: { position: number; label: string }[];
}

/** One trial as a line: a position per axis (null where it has no value), and what colours it. */
export interface Polyline {
  trialIndex: number;
  configIndex: number;
  positions: (number | null)[];
  /** Best validation accuracy, 0–1. */
  accuracy: number;
  /** Its accuracy's place between the sweep's worst (0) and best (1) line: what colours it. */
  shade: number;
  isPruned: boolean;
}

/** At most this many ticks on a numeric axis; with fewer distinct values, one tick per value. */
const MAX_TICKS = 5;

/** The axes for `trials`: the varied fields in plan order, then accuracy. */
export function parallelAxes(trials: readonly SweepTrial[], varied: readonly SweepableField[]): Axis[] {
  const scored = trials.filter((t) => t.bestValidation !== null);
  const axes = varied.map((field) =>
    fieldAxis(
      field,
      scored.map((t) => t.hyperparams[field]),
    ),
  );
  const accuracies = scored.map((t) => t.bestValidation as number);
  const domain = numericDomain(accuracies);
  axes.push({ id: 'accuracy', label: 'Accuracy', scale: 'linear', domain, categories: [], ticks: [] });
  const last = axes[axes.length - 1];
  last.ticks = evenTicks(last).map((value) => ({ position: positionOn(last, value) ?? 0, label: formatPercent(value) }));
  return axes;
}

/** The scored trials as lines across `axes`. */
export function polylines(trials: readonly SweepTrial[], axes: readonly Axis[]): Polyline[] {
  const scored = trials.filter((t) => t.bestValidation !== null);
  const accuracy = axes[axes.length - 1];
  return scored.map((trial) => ({
    trialIndex: trial.index,
    configIndex: trial.configIndex,
    positions: axes.map((axis) => positionOn(axis, axis.id === 'accuracy' ? trial.bestValidation : trial.hyperparams[axis.id])),
    accuracy: trial.bestValidation as number,
    shade: positionOn(accuracy, trial.bestValidation) ?? 0,
    isPruned: trial.status === 'pruned',
  }));
}

/** Where `value` sits on `axis`, 0 (bottom) to 1 (top); a one-value axis puts it in the middle. */
export function positionOn(axis: Axis, value: number | string | null): number | null {
  if (value === null) return null;
  if (axis.scale === 'category') {
    const i = axis.categories.indexOf(String(value));
    if (i < 0) return null;
    return axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
  }
  if (typeof value !== 'number') return null;
  const [low, high] = axis.scale === 'log' ? axis.domain.map(Math.log10) : axis.domain;
  const x = axis.scale === 'log' ? Math.log10(value) : value;
  return high === low ? 0.5 : (x - low) / (high - low);
}

/**
 * A colour for a shade 0–1 along viridis (dark purple → teal → yellow): it reads as an order in
 * every common kind of colour blindness and in greyscale, which a red–green ramp does not.
 */
export function shadeColour(shade: number): string {
  const t = Math.min(1, Math.max(0, shade)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(t));
  const f = t - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  const channel = (k: number) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${channel(0)} ${channel(1)} ${channel(2)})`;
}

/** Viridis at five stops. */
export const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function fieldAxis(field: SweepableField, values: readonly (number | string)[]): Axis {
  const label = fieldLabel(field);
  if (isChoiceField(field) || values.some((v) => typeof v === 'string')) {
    const order = optionsOf(field);
    const seen = new Set(values.map(String));
    const categories = [...order.filter((c) => seen.has(c)), ...[...seen].filter((c) => !order.includes(c)).sort()];
    const axis: Axis = { id: field, label, scale: 'category', domain: [0, 1], categories, ticks: [] };
    axis.ticks = categories.map((c) => ({ position: positionOn(axis, c) ?? 0, label: valueLabel(field, c) }));
    return axis;
  }
  const numbers = values as number[];
  const isLog = LOG_FIELDS.includes(field) && numbers.length > 0 && numbers.every((v) => v > 0);
  const axis: Axis = { id: field, label, scale: isLog ? 'log' : 'linear', domain: numericDomain(numbers), categories: [], ticks: [] };
  const distinct = [...new Set(numbers)].sort((a, b) => a - b);
  const tickValues = distinct.length <= MAX_TICKS ? distinct : evenTicks(axis);
  axis.ticks = tickValues.map((value) => ({ position: positionOn(axis, value) ?? 0, label: formatNumber(Number(value.toPrecision(3))) }));
  return axis;
}

function numericDomain(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  return [Math.min(...values), Math.max(...values)];
}

/** MAX_TICKS values spread evenly along the axis (in log space on a log axis). */
function evenTicks(axis: Axis): number[] {
  const [low, high] = axis.domain;
  if (low === high) return [low];
  return Array.from({ length: MAX_TICKS }, (_, i) => {
    const f = i / (MAX_TICKS - 1);
    return axis.scale === 'log' ? 10 ** (Math.log10(low) + f * (Math.log10(high) - Math.log10(low))) : low + f * (high - low);
  });
}
