import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../../common/errors';
import { evaluateModel } from '../../../../main/engine/evaluate';
import type { LabelledSplit } from '../../../../main/engine/evaluate';

const PIXELS = 784;
const GAIN = 10;

/**
 * A model whose answers are known: logit k = GAIN × (pixel k of the first row, 0–1), so an image
 * whose only ink is pixel k of brightness v predicts k with probability e^(10v) / (e^(10v) + 9).
 */
function knownModel(activation: 'softmax' | 'linear'): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28] }));
  model.add(tf.layers.dense({ units: 10, useBias: false, activation }));
  const kernel = tf.tidy(() => tf.eye(PIXELS, 10).mul(GAIN));
  model.layers[1].setWeights([kernel]);
  kernel.dispose();
  return model;
}

/** Images with one lit pixel each ([pixel, brightness 0–255] or null for blank) and their labels. */
function makeSplit(images: ([number, number] | null)[], labels: number[]): LabelledSplit {
  const pixels = new Uint8Array(images.length * PIXELS);
  images.forEach((ink, i) => {
    if (ink) pixels[i * PIXELS + ink[0]] = ink[1];
  });
  return { images: pixels, labels: Uint8Array.from(labels), count: images.length };
}

/** Probability of class k for an image lit at `ink`, from the softmax formula. */
function probability(ink: [number, number] | null, k: number): number {
  const logits = new Array<number>(10).fill(0);
  if (ink) logits[ink[0]] = (GAIN * ink[1]) / 255;
  const total = logits.reduce((sum, z) => sum + Math.exp(z), 0);
  return Math.exp(logits[k]) / total;
}

// Three right, three wrong: 3 read as 2 (dim ink), 5 read as 4 (bright ink), blank read as 0.
const INK: ([number, number] | null)[] = [[0, 255], [1, 255], [3, 128], [5, 255], [2, 255], null];
const LABELS = [0, 1, 2, 4, 2, 7];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluateModel()', () => {
  it('scores a model of known outputs: accuracy, confusion, per-class accuracy and loss', async () => {
    const model = knownModel('softmax');
    const results = await evaluateModel(model, makeSplit(INK, LABELS), { batchSize: 4 });
    expect(results.count).toBe(6);
    expect(results.accuracy).toBe(0.5);
    const expected = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    for (const [label, predicted] of [
      [0, 0],
      [1, 1],
      [2, 3],
      [4, 5],
      [2, 2],
      [7, 0],
    ])
      expected[label][predicted] += 1;
    expect(results.confusion).toEqual(expected);
    expect(results.perClassAccuracy).toEqual([1, 1, 0.5, 0, 0, 0, 0, 0, 0, 0]);
    const loss = INK.reduce((sum, ink, i) => sum - Math.log(probability(ink, LABELS[i])), 0) / 6;
    expect(results.loss).toBeCloseTo(loss, 5);
    model.dispose();
  });

  it("lists mistakes by the wrong answer's confidence, with probabilities and 0–255 pixels", async () => {
    const model = knownModel('softmax');
    const split = makeSplit(INK, LABELS);
    const { misclassified } = await evaluateModel(model, split);
    expect(misclassified.map((m) => [m.index, m.label, m.predicted])).toEqual([
      [3, 4, 5],
      [2, 2, 3],
      [5, 7, 0],
    ]);
    expect(misclassified[0].probabilities).toHaveLength(10);
    expect(misclassified[0].probabilities[5]).toBeCloseTo(probability([5, 255], 5), 5);
    expect(misclassified[2].probabilities[0]).toBeCloseTo(0.1, 5);
    expect(misclassified[1].pixels).toEqual(Array.from(split.images.subarray(2 * PIXELS, 3 * PIXELS)));
    expect(misclassified[1].pixels[3]).toBe(128);
    model.dispose();
  });

  it('keeps only the most confident maxMisclassified mistakes', async () => {
    const model = knownModel('softmax');
    const { misclassified } = await evaluateModel(model, makeSplit(INK, LABELS), { maxMisclassified: 2 });
    expect(misclassified.map((m) => m.index)).toEqual([3, 2]);
    model.dispose();
  });

  it('applies softmax itself when the model ends in logits', async () => {
    const logits = knownModel('linear');
    const softmax = knownModel('softmax');
    const split = makeSplit(INK, LABELS);
    const a = await evaluateModel(logits, split);
    const b = await evaluateModel(softmax, split);
    expect(a.confusion).toEqual(b.confusion);
    expect(a.loss).toBeCloseTo(b.loss, 5);
    a.misclassified.forEach((m, i) => m.probabilities.forEach((p, k) => expect(p).toBeCloseTo(b.misclassified[i].probabilities[k], 5)));
    logits.dispose();
    softmax.dispose();
  });

  it('gives the same results whatever the chunk size, and leaves no tensors behind', async () => {
    const model = knownModel('linear');
    const split = makeSplit(INK, LABELS);
    const before = tf.memory().numTensors;
    const whole = await evaluateModel(model, split, { batchSize: 1000 });
    const chunked = await evaluateModel(model, split, { batchSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(chunked).toEqual(whole);
    model.dispose();
  });

  it('keeps confusion, accuracy and per-class accuracy consistent for a real LSTM', async () => {
    const model = tf.sequential();
    model.add(tf.layers.lstm({ units: 8, inputShape: [28, 28], recurrentActivation: 'sigmoid' }));
    model.add(tf.layers.dense({ units: 10 }));
    const count = 50;
    const images = Uint8Array.from({ length: count * PIXELS }, (_, i) => (i * 7919) % 256);
    const split = { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
    const before = tf.memory().numTensors;
    const results = await evaluateModel(model, split, { batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    const rows = results.confusion.map((row) => row.reduce((a, b) => a + b, 0));
    expect(rows).toEqual(new Array(10).fill(5));
    const diagonal = results.confusion.reduce((sum, row, k) => sum + row[k], 0);
    expect(results.accuracy).toBe(diagonal / count);
    expect(results.perClassAccuracy).toEqual(results.confusion.map((row, k) => row[k] / 5));
    expect(results.misclassified).toHaveLength(count - diagonal);
    expect(Number.isFinite(results.loss)).toBe(true);
    model.dispose();
  });

  it('rejects labels outside 0–9 as a corrupt dataset, and an empty split as invalid', async () => {
    const model = knownModel('softmax');
    const bad = makeSplit([null, null], [3, 12]);
    await expect(evaluateModel(model, bad)).rejects.toMatchObject({
      code: 'dataset-corrupt',
      message: 'label of image 1: expected 0–9, got 12',
    });
    await expect(evaluateModel(model, { ...bad, count: 0 })).rejects.toBeInstanceOf(StudioError);
    await expect(evaluateModel(model, { ...bad, count: 3 })).rejects.toMatchObject({ code: 'invalid-input' });
    model.dispose();
  });
});
