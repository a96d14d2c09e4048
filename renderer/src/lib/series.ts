/**
 * The live training curves, kept outside Svelte state on purpose: a long run has tens of
 * thousands of points, and making each one reactive would re-render per point. Charts
 * subscribe and redraw at most once per frame (lib/charts.ts). Pure: no DOM.
 */
import type { MetricPoint, MetricsHistory, ProgressEvent } from '../../../common/api';
import { DEFAULT_SMOOTHING, Ema } from './smoothing';

/** Chart.js's internal point format, so charts can use `parsing: false`. */
export interface XY {
  x: number;
  y: number;
}

/** The arrays a training chart draws, x = iteration. */
export interface CurveSet {
  loss: XY[];
  lossSmoothed: XY[];
  accuracy: XY[];
  accuracySmoothed: XY[];
  validationLoss: XY[];
  validationAccuracy: XY[];
  samplesPerSec: XY[];
}

function emptyCurves(): CurveSet {
  return {
    loss: [],
    lossSmoothed: [],
    accuracy: [],
    accuracySmoothed: [],
    validationLoss: [],
    validationAccuracy: [],
    samplesPerSec: [],
  };
}

/** Builds the full curve set of a finished run from its stored history. */
export function curvesFromHistory(history: MetricsHistory, weight = DEFAULT_SMOOTHING): CurveSet {
  const series = new LiveSeries(weight);
  series.replace(history);
  return series.curves;
}

/** Accumulates curves from progress events and tells subscribers when they changed. */
export class LiveSeries {
  /** The arrays; replaced wholesale on reset/replace, appended to otherwise. */
  curves: CurveSet = emptyCurves();
  /** Bumped on every change, so a subscriber can tell whether it has drawn the latest. */
  version = 0;
  #weight: number;
  #lossEma: Ema;
  #accuracyEma: Ema;
  readonly #listeners = new Set<() => void>();

  constructor(weight = DEFAULT_SMOOTHING) {
    this.#weight = weight;
    this.#lossEma = new Ema(weight);
    this.#accuracyEma = new Ema(weight);
  }

  /** Starts empty curves (a new run). */
  reset(): void {
    this.curves = emptyCurves();
    this.#lossEma = new Ema(this.#weight);
    this.#accuracyEma = new Ema(this.#weight);
    this.#changed();
  }

  /** Appends one progress report. Reports at or before the last iteration are ignored. */
  add(event: ProgressEvent): void {
    const last = this.curves.loss.at(-1);
    if (last && event.iteration <= last.x) return;
    this.#addTrain(event);
    this.curves.samplesPerSec.push({ x: event.iteration, y: event.samplesPerSec });
    if (event.validation) this.#addValidation({ iteration: event.iteration, ...event.validation });
    this.#changed();
  }

  /** Replaces everything with a stored history (authoritative: nothing dropped in transit). */
  replace(history: MetricsHistory): void {
    const samplesPerSec = this.curves.samplesPerSec;
    this.curves = { ...emptyCurves(), samplesPerSec };
    this.#lossEma = new Ema(this.#weight);
    this.#accuracyEma = new Ema(this.#weight);
    for (const point of history.train) this.#addTrain(point);
    for (const point of history.validation) this.#addValidation(point);
    this.#changed();
  }

  /**
   * Smooths with `weight` from now on (0 ≤ weight < 1, the slider's value), redoing the smoothed
   * curves from the raw ones; a weight equal to the current one changes nothing.
   */
  setSmoothing(weight: number): void {
    if (weight === this.#weight) return;
    const lossEma = new Ema(weight); // throws on a weight out of range, before anything changes
    const accuracyEma = new Ema(weight);
    this.#weight = weight;
    this.#lossEma = lossEma;
    this.#accuracyEma = accuracyEma;
    const c = this.curves;
    // New arrays, not rewritten ones: charts re-point their datasets at the curves on each redraw.
    c.lossSmoothed = c.loss.map(({ x, y }) => ({ x, y: lossEma.push(y) }));
    c.accuracySmoothed = c.accuracy.map(({ x, y }) => ({ x, y: accuracyEma.push(y) }));
    this.#changed();
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #addTrain(point: MetricPoint): void {
    const c = this.curves;
    c.loss.push({ x: point.iteration, y: point.loss });
    c.lossSmoothed.push({ x: point.iteration, y: this.#lossEma.push(point.loss) });
    c.accuracy.push({ x: point.iteration, y: point.accuracy });
    c.accuracySmoothed.push({ x: point.iteration, y: this.#accuracyEma.push(point.accuracy) });
  }

  #addValidation(point: MetricPoint): void {
    this.curves.validationLoss.push({ x: point.iteration, y: point.loss });
    this.curves.validationAccuracy.push({ x: point.iteration, y: point.accuracy });
  }

  #changed(): void {
    this.version++;
    for (const listener of this.#listeners) listener();
  }
}
