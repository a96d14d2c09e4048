import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../common/api';
import { StartRequestSchema } from '../../common/api';
import { centreOfMass, inkBounds } from '../../common/preprocess';
import { IMAGE_SIDE } from '../../common/mnist';
import { drawnPixels, loadDrawnSet, renderStrokes, scoreDrawnSet } from '../../main/cli/drawn-set';
import { chooseBackend } from '../../main/engine/backend';
import { loadDataset } from '../../main/engine/data/dataset';
import { trainRun } from '../../main/engine/engine';
import { Predictor } from '../../main/engine/predictor';
import { RunStore } from '../../main/store/store';
import { engineContext } from '../support/engine-context';

const SET = path.join(import.meta.dirname, '..', 'fixtures', 'drawn-digits', 'print-digits.json');

describe('the drawn-digit set, replayed through the pad’s preprocessing', () => {
  let root: string;
  beforeAll(async () => {
    await chooseBackend(['wasm']);
    root = mkdtempSync(path.join(os.tmpdir(), 'drawn-test-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds eighteen print-style digits of every label', async () => {
    const set = await loadDrawnSet(SET);
    for (let label = 0; label < 10; label++) expect(set.digits.filter((d) => d.label === label)).toHaveLength(18);
  });

  it('paints strokes as the pad does: a 20-pixel round-capped line is 20 pixels thick', () => {
    const image = renderStrokes(
      {
        width: 20,
        strokes: [
          [
            [50, 100],
            [200, 100],
          ],
        ],
      },
      280,
    );
    const column = Array.from({ length: 280 }, (_, y) => image.data[y * 280 + 120]);
    expect(column.filter((v) => v > 127)).toHaveLength(20);
    // Round caps: the ink reaches 10 pixels past each end, not more.
    const row = Array.from({ length: 280 }, (_, x) => image.data[100 * 280 + x]);
    expect(row.findIndex((v) => v > 127)).toBe(40);
  });

  it('turns every digit into an MNIST-like input: inked, inside the 20-pixel box, centred by mass', async () => {
    const set = await loadDrawnSet(SET);
    for (const digit of set.digits) {
      const pixels = drawnPixels(digit, set.padSize);
      const image = { width: IMAGE_SIDE, height: IMAGE_SIDE, data: pixels };
      const box = inkBounds(image);
      expect(box).not.toBeNull();
      expect(Math.max((box?.x1 ?? 0) - (box?.x0 ?? 0), (box?.y1 ?? 0) - (box?.y0 ?? 0))).toBeLessThanOrEqual(21);
      const com = centreOfMass(image);
      expect(Math.abs((com?.x ?? 0) - 14)).toBeLessThanOrEqual(1);
      expect(Math.abs((com?.y ?? 0) - 14)).toBeLessThanOrEqual(1);
    }
  });

  it('scores a saved run per digit, as its own predictions say', async () => {
    const set = await loadDrawnSet(SET);
    const dataset = await loadDataset({ dataDir: path.join(root, 'data') });
    const store = new RunStore(path.join(root, 'runs'));
    const request = StartRequestSchema.parse({ hyperparams: { units: 16, budget: 60, seed: 3 }, trainLimit: 3000, testLimit: 200 });
    const events: TrainEvent[] = [];
    await trainRun('drawn', request, engineContext(dataset, store, events));
    const predictor = new Predictor(store);
    const score = await scoreDrawnSet(set, (pixels) => predictor.predict('drawn', pixels));
    const answers: number[] = [];
    for (const digit of set.digits) {
      const { probabilities } = await predictor.predict('drawn', Array.from(drawnPixels(digit, set.padSize)));
      answers.push(probabilities.indexOf(Math.max(...probabilities)));
    }
    predictor.dispose();
    expect(score.total).toBe(180);
    expect(score.perDigit.map((d) => d.count)).toEqual(new Array<number>(10).fill(18));
    for (const d of score.perDigit) {
      expect(d.correct).toBe(set.digits.filter((digit, i) => digit.label === d.label && answers[i] === d.label).length);
    }
    expect(score.correct + score.misread.length).toBe(180);
    expect(score.misread.every((m) => answers[m.index] === m.predicted && m.predicted !== m.label)).toBe(true);
  });

  it('refuses a damaged set with the file and the problem named', async () => {
    const bad = path.join(root, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ formatVersion: 1, description: '', padSize: 280, digits: [{ label: 12, style: 'x', width: 20, strokes: [] }] }),
    );
    await expect(loadDrawnSet(bad)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('bad.json: digits.0.label'),
    });
    writeFileSync(bad, '{ not json');
    await expect(loadDrawnSet(bad)).rejects.toMatchObject({ message: expect.stringContaining('bad.json: not JSON') });
  });
});
