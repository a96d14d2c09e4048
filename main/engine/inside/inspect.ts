/**
 * Inside the network for one image: every gate and state of one recurrent layer after each of
 * the 28 rows, a unit order that makes patterns visible, how much each row changed the answer
 * (occlusion) and which pixels did (gradient × input). Runs in the predictor worker from the
 * weights the prediction uses; the rows go through the row stepper (wasm or JavaScript), so
 * one inspection of the classic model is a few dozen single-image passes, not tfjs calls.
 */
import type { InsideSeries, InsideSeriesId, Inspection, Prediction } from '../../../common/api';
import { StudioError } from '../../../common/errors';
import { FEATURES, PIXEL_COUNT, TIME_STEPS } from '../../../common/mnist';
import type { CellState, FastCell, RowStepper, StackWeights } from '../wasm';
import { gradientTimesInput } from './saliency';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The gates each cell has, as where they sit in z (blocks of `units`) and their names. */
const GATES: Record<FastCell, readonly { id: InsideSeriesId; block: number }[]> = {
  lstm: [
    { id: 'input', block: 0 },
    { id: 'forget', block: 1 },
    { id: 'output', block: 2 },
  ],
  gru: [
    { id: 'update', block: 0 },
    { id: 'reset', block: 1 },
  ],
  rnn: [],
};

/** Four decimals are more than a heatmap shows, and keep the reply small (browser mode sends JSON). */
const round = (v: number): number => Math.round(v * 1e4) / 1e4 || 0; // || 0: no -0

function copyStates(states: readonly CellState[]): CellState[] {
  return states.map(({ h, c }) => ({ h: h.slice(), c: c.slice() }));
}

/** Each series' values for one layer, [28 × units], filled row by row. */
function recordLayer(
  cell: FastCell,
  units: number,
): { series: Map<InsideSeriesId, Float32Array>; record(t: number, z: Float32Array, state: CellState): void } {
  const ids: InsideSeriesId[] = [...GATES[cell].map(({ id }) => id), ...(cell === 'lstm' ? (['cell'] as const) : []), 'hidden'];
  const series = new Map(ids.map((id) => [id, new Float32Array(TIME_STEPS * units)] as const));
  return {
    series,
    record(t, z, state) {
      for (const { id, block } of GATES[cell]) {
        const out = series.get(id) as Float32Array;
        for (let k = 0; k < units; k++) out[t * units + k] = sigmoid(z[block * units + k]);
      }
      if (cell === 'lstm') (series.get('cell') as Float32Array).set(state.c, t * units);
      (series.get('hidden') as Float32Array).set(state.h, t * units);
    },
  };
}

/**
 * Units by the row at which their hidden state changes most (ties: larger change first), so
 * units that react to the top of a digit sit above those that react to its bottom.
 */
export function unitOrder(hidden: Float32Array, units: number): number[] {
  const when = Array.from({ length: units }, (_, k) => {
    let [row, most] = [0, -1];
    for (let t = 0; t < TIME_STEPS; t++) {
      const change = Math.abs(hidden[t * units + k] - (t > 0 ? hidden[(t - 1) * units + k] : 0));
      if (change > most) [row, most] = [t, change];
    }
    return { k, row, most };
  });
  return when.sort((a, b) => a.row - b.row || b.most - a.most || a.k - b.k).map(({ k }) => k);
}

/** The forward pass, keeping every layer's state after each row and recording `layer`. */
function forward(stepper: RowStepper, pixels: Float32Array, layer: number) {
  const recorder = recordLayer(stepper.cell, stepper.units[layer]);
  const states = stepper.initialStates();
  const after: CellState[][] = [];
  const perRow: number[][] = [];
  for (let t = 0; t < TIME_STEPS; t++) {
    const top = stepper.row(pixels.subarray(t * FEATURES, (t + 1) * FEATURES), states, (i, z, state) => {
      if (i === layer) recorder.record(t, z, state);
    });
    perRow.push(stepper.head(top));
    after.push(copyStates(states));
  }
  return { series: recorder.series, after, perRow };
}

/**
 * For each row t, the predicted digit's probability with all rows minus the same with row t
 * blanked: each blanked pass starts from the states the full pass had before row t, so the 28
 * passes cost about half of 28 whole ones.
 */
export function rowOcclusion(
  stepper: RowStepper,
  pixels: Float32Array,
  after: readonly CellState[][],
  target: number,
  full: number,
): number[] {
  const blank = new Float32Array(FEATURES);
  return Array.from({ length: TIME_STEPS }, (_, t) => {
    const states = t === 0 ? stepper.initialStates() : copyStates(after[t - 1]);
    let top = stepper.row(blank, states);
    for (let r = t + 1; r < TIME_STEPS; r++) top = stepper.row(pixels.subarray(r * FEATURES, (r + 1) * FEATURES), states);
    return full - stepper.head(top)[target];
  });
}

/**
 * Looks inside the model for one image at recurrent layer `layer` (default: the top one).
 * @param pixels 784 values, 0–1, row-major
 */
export function inspect(
  stepper: RowStepper,
  weights: StackWeights,
  pixels: ArrayLike<number>,
  layer = stepper.units.length - 1,
): Inspection {
  const started = performance.now();
  if (pixels.length !== PIXEL_COUNT)
    throw new StudioError('invalid-input', `inspect: expected ${PIXEL_COUNT} pixels, got ${pixels.length}`);
  const layers = stepper.units.length;
  if (!Number.isInteger(layer) || layer < 0 || layer >= layers)
    throw new StudioError(
      'invalid-input',
      `inspect: layer ${layer + 1} asked for, but this model has ${layers} recurrent layer${layers === 1 ? '' : 's'}`,
    );
  const image = Float32Array.from(pixels);
  const units = stepper.units[layer];
  const { series, after, perRow } = forward(stepper, image, layer);
  const prediction: Prediction = { probabilities: perRow[TIME_STEPS - 1], perRow };
  const predicted = prediction.probabilities.indexOf(Math.max(...prediction.probabilities));
  const empty = image.every((v) => v === 0);
  const rowInfluence = empty
    ? new Array<number>(TIME_STEPS).fill(0)
    : rowOcclusion(stepper, image, after, predicted, prediction.probabilities[predicted]);
  const saliency = empty ? new Float32Array(PIXEL_COUNT) : gradientTimesInput(weights, image, predicted);
  return {
    cell: stepper.cell,
    layer,
    layers,
    units,
    series: [...series].map(([id, values]) => describe(id, values)),
    order: unitOrder(series.get('hidden') as Float32Array, units),
    prediction,
    predicted,
    rowInfluence: rowInfluence.map(round),
    saliency: Array.from(saliency, round),
    empty,
    ms: performance.now() - started,
  };
}

function describe(id: InsideSeriesId, values: Float32Array): InsideSeries {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  return { id, values: Array.from(values, round), min: round(min), max: round(max) };
}
