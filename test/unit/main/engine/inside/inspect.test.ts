import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inspection } from '../../../../../common/api';
import { StudioError } from '../../../../../common/errors';
import { chooseBackend } from '../../../../../main/engine/backend';
import { createJsStepper } from '../../../../../main/engine/inside/js-stepper';
import { inspect, unitOrder } from '../../../../../main/engine/inside/inspect';
import { buildSequenceModel } from '../../../../../main/engine/model';
import type { ModelShape } from '../../../../support/random-model';
import { mnistTestImages, randomModel } from '../../../../support/random-model';
import { stackWeightsOf } from '../../../../../main/engine/predictor';
import type { RowStepper, StackWeights } from '../../../../../main/engine/wasm';
import { createRowStepper, predictWith } from '../../../../../main/engine/wasm';

type Shape = ModelShape;
const mnistImages = mnistTestImages;

type Reference = Record<string, number[][]>;

/** Every gate and state of layer `layer`, row by row, with plain tfjs ops and the cells' textbook equations. */
function reference(weights: StackWeights, pixels: Float32Array, layer: number): Reference {
  return tf.tidy(() => {
    const out: Reference = {};
    const push = (id: string, t: tf.Tensor) => (out[id] ??= []).push(Array.from(t.dataSync()));
    let inputs = Array.from({ length: 28 }, (_, t) => tf.tensor2d(pixels.subarray(t * 28, (t + 1) * 28), [1, 28]));
    weights.layers.forEach(([w, u, b], i) => {
      const units = u.shape[0] as number;
      let h: tf.Tensor = tf.zeros([1, units]);
      let c: tf.Tensor = tf.zeros([1, units]);
      const outputs: tf.Tensor[] = [];
      for (const x of inputs) {
        if (weights.cell === 'lstm') {
          const z = tf.add(tf.add(tf.matMul(x, w as tf.Tensor2D), tf.matMul(h as tf.Tensor2D, u as tf.Tensor2D)), b);
          const [zi, zf, zo, zg] = tf.split(z, 4, 1);
          const [gi, gf, go] = [zi, zf, zo].map((g) => tf.sigmoid(g));
          c = tf.add(tf.mul(gf, c), tf.mul(gi, tf.tanh(zg)));
          h = tf.mul(go, tf.tanh(c));
          if (i === layer)
            [
              ['input', gi],
              ['forget', gf],
              ['output', go],
              ['cell', c],
            ].forEach(([id, v]) => push(id as string, v as tf.Tensor));
        } else if (weights.cell === 'gru') {
          const [bIn, bHid] = tf.split(b, 2, 0);
          const xw = tf.add(tf.matMul(x, w as tf.Tensor2D), bIn);
          const hu = tf.add(tf.matMul(h as tf.Tensor2D, u as tf.Tensor2D), bHid);
          const [xz, xr, xn] = tf.split(xw, 3, 1);
          const [hz, hr, hn] = tf.split(hu, 3, 1);
          const update = tf.sigmoid(tf.add(xz, hz));
          const reset = tf.sigmoid(tf.add(xr, hr));
          const n = tf.tanh(tf.add(xn, tf.mul(reset, hn)));
          h = tf.add(tf.mul(tf.sub(1, update), n), tf.mul(update, h));
          if (i === layer)
            [
              ['update', update],
              ['reset', reset],
            ].forEach(([id, v]) => push(id as string, v as tf.Tensor));
        } else {
          h = tf.tanh(tf.add(tf.add(tf.matMul(x, w as tf.Tensor2D), tf.matMul(h as tf.Tensor2D, u as tf.Tensor2D)), b));
        }
        if (i === layer) push('hidden', h);
        outputs.push(h);
      }
      inputs = outputs as tf.Tensor2D[];
    });
    return out;
  });
}

function seriesRows(inspection: Inspection, id: string): number[][] {
  const series = inspection.series.find((s) => s.id === id);
  if (!series) throw new Error(`no ${id} series`);
  return Array.from({ length: 28 }, (_, t) => series.values.slice(t * inspection.units, (t + 1) * inspection.units));
}

function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, t) => row.map((v, k) => Math.abs(v - b[t][k]))));
}

/** The predicted digit's logit from the tf.layers twin, for finite differences. */
function logitOf(model: tf.LayersModel, pixels: Float32Array, target: number): number {
  return tf.tidy(() => {
    const logits = buildSequenceModel(model).predict(tf.tensor3d(pixels, [1, 28, 28])) as tf.Tensor3D;
    return logits.arraySync()[0][27][target];
  });
}

describe('inspect()', () => {
  const images = mnistImages(3);
  const made: { model: tf.LayersModel; stepper: RowStepper }[] = [];
  beforeAll(async () => {
    await chooseBackend(['wasm']);
  });
  afterAll(() => {
    for (const { model, stepper } of made) {
      stepper.dispose();
      model.dispose();
    }
  });

  function setUp(shape: Shape, seed: number, kind: 'wasm' | 'js' = 'wasm') {
    const model = randomModel(shape, seed, 0.6);
    const weights = stackWeightsOf(model) as StackWeights;
    const stepper = (kind === 'wasm' ? createRowStepper(weights) : createJsStepper(weights)) as RowStepper;
    made.push({ model, stepper });
    return { model, weights, stepper };
  }

  const shapes: (Shape & { ids: string[] })[] = [
    { cell: 'lstm', units: 6, layers: 2, ids: ['input', 'forget', 'output', 'cell', 'hidden'] },
    { cell: 'gru', units: 5, layers: 2, ids: ['update', 'reset', 'hidden'] },
    { cell: 'rnn', units: 7, layers: 1, ids: ['hidden'] },
  ];
  for (const { ids, ...shape } of shapes) {
    for (const kind of ['wasm', 'js'] as const) {
      it(`gives the gates and states plain tfjs ops give, step by step (${shape.cell} ${shape.units}×${shape.layers}, ${kind} stepper)`, () => {
        const { weights, stepper } = setUp(shape, 11, kind);
        for (let layer = 0; layer < shape.layers; layer++) {
          const inspection = inspect(stepper, weights, images[0], layer);
          expect(inspection.series.map((s) => s.id)).toEqual(ids);
          const expected = reference(weights, images[0], layer);
          for (const id of ids) expect(maxDiff(seriesRows(inspection, id), expected[id]), `${id} of layer ${layer}`).toBeLessThan(2e-4);
          expect([...inspection.order].sort((a, b) => a - b)).toEqual(Array.from({ length: shape.units }, (_, k) => k));
        }
      });
    }
  }

  it('says how much each row mattered exactly as blanking that row does', () => {
    const { weights, stepper } = setUp({ cell: 'lstm', units: 8, layers: 1 }, 5);
    const inspection = inspect(stepper, weights, images[1]);
    const full = inspection.prediction.probabilities[inspection.predicted];
    for (const t of [0, 5, 12, 27]) {
      const blanked = images[1].slice();
      blanked.fill(0, t * 28, (t + 1) * 28);
      const without = predictWith(stepper, blanked).probabilities[inspection.predicted];
      expect(inspection.rowInfluence[t]).toBeCloseTo(full - without, 3);
    }
    expect(inspection.rowInfluence.some((v) => v !== 0)).toBe(true);
  });

  it('gives gradient × input saliency that finite differences confirm, and none where there is no ink', () => {
    const { model, weights, stepper } = setUp({ cell: 'lstm', units: 8, layers: 2 }, 3);
    const image = images[2];
    const inspection = inspect(stepper, weights, image);
    image.forEach((v, p) => v === 0 && expect(inspection.saliency[p]).toBe(0));
    const inked = [...image.keys()].filter((p) => image[p] > 0.5).slice(0, 40);
    const strongest = inked.sort((a, b) => Math.abs(inspection.saliency[b]) - Math.abs(inspection.saliency[a])).slice(0, 3);
    for (const p of strongest) {
      const [up, down] = [image.slice(), image.slice()];
      const step = 0.05;
      up[p] += step;
      down[p] -= step;
      const slope = (logitOf(model, up, inspection.predicted) - logitOf(model, down, inspection.predicted)) / (2 * step);
      expect(inspection.saliency[p]).toBeCloseTo(slope * image[p], 2);
    }
  });

  it('answers an empty pad with defined values that say it is empty', () => {
    const { weights, stepper } = setUp({ cell: 'gru', units: 4, layers: 1 }, 2);
    const inspection = inspect(stepper, weights, new Float32Array(784));
    expect(inspection.empty).toBe(true);
    expect(inspection.saliency.every((v) => v === 0)).toBe(true);
    expect(inspection.rowInfluence.every((v) => v === 0)).toBe(true);
    for (const series of inspection.series) expect(series.values.every(Number.isFinite)).toBe(true);
    expect(inspection.prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('refuses a layer the model does not have, and a wrong pixel count', () => {
    const { weights, stepper } = setUp({ cell: 'lstm', units: 4, layers: 1 }, 9);
    expect(() => inspect(stepper, weights, images[0], 1)).toThrow(StudioError);
    expect(() => inspect(stepper, weights, images[0], 1)).toThrow(/layer 2 asked for, but this model has 1 recurrent layer/);
    expect(() => inspect(stepper, weights, new Float32Array(10))).toThrow(/expected 784 pixels/);
  });
});

describe('unitOrder()', () => {
  it('puts units that change early above those that change late', () => {
    const units = 3;
    const hidden = new Float32Array(28 * units);
    // unit 0 jumps at row 20, unit 1 at row 3, unit 2 at row 10
    for (let t = 0; t < 28; t++) {
      hidden[t * units] = t >= 20 ? 0.9 : 0;
      hidden[t * units + 1] = t >= 3 ? 0.5 : 0;
      hidden[t * units + 2] = t >= 10 ? -0.7 : 0;
    }
    expect(unitOrder(hidden, units)).toEqual([1, 2, 0]);
  });
});
