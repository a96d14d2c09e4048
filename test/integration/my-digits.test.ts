/**
 * The personal set through the real StudioService and the real worker (issue 17): saving,
 * the split, import and export, a damaged file, scoring a run on a set whose answers are known,
 * and a fine-tune that learns from the fine-tune part only and reports before and after.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyDigitPart, RunRecord, StartRequestInput, StudioEvent } from '../../common/api';
import { PIXEL_COUNT } from '../../common/api';
import { loadDataset } from '../../main/engine/data/dataset';
import { dataPaths } from '../../main/service/paths';
import { StudioService } from '../../main/service/service';
import { MY_DIGITS_FILE, serializeSet } from '../../main/store/my-digits-store';
import type { StoredDigit } from '../../main/store/my-digits-store';

/** A small run scored on the first 300 test images: its record lists every mistake among them. */
const TINY: StartRequestInput = {
  hyperparams: { units: 16, budget: 60, batchSize: 32, validationInterval: 0, seed: 5 },
  trainLimit: 3000,
  testLimit: 300,
};
const STROKES = [
  {
    points: [
      { x: 140, y: 40, width: 20 },
      { x: 140, y: 240, width: 20 },
    ],
  },
];

/** Trains a run through the service and resolves with its id once it is saved. */
async function trainDirectly(studio: StudioService, request: StartRequestInput): Promise<string> {
  const finished = new Promise<StudioEvent>((resolve) => {
    const off = studio.onEvent((e) => (e.type === 'done' || e.type === 'error') && (off(), resolve(e)));
  });
  const { runId: id } = await studio.startTraining(request);
  expect(await finished).toMatchObject({ type: 'done', runId: id });
  return id;
}

let root: string;
let service: StudioService;
let runId: string;
let record: RunRecord;
/** The first 300 MNIST test images as stored digits, all in `part`. */
let testDigits: (part: MyDigitPart) => StoredDigit[];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-my-digits-'));
  const paths = dataPaths(root);
  service = new StudioService(paths);
  runId = await trainDirectly(service, TINY);
  record = await service.loadRun({ runId });
  const { test } = await loadDataset({ dataDir: paths.dataDir });
  testDigits = (part) =>
    Array.from({ length: 300 }, (_, i) => ({
      id: `t-${i}`,
      label: test.labels[i],
      part,
      createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      pixels: Array.from(test.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT), (v) => v / 255),
      strokes: STROKES,
      padSize: 280,
    }));
});

afterAll(async () => {
  await service?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('the personal set through StudioService', () => {
  it('saves digits in alternating parts per label, relabels, moves and deletes them', async () => {
    const pixels = new Array<number>(PIXEL_COUNT).fill(0).map((_, i) => (i % 28 === 14 ? 1 : 0));
    const empty = await service.listMyDigits();
    expect(empty).toMatchObject({ revision: 0, digits: [], problem: null, file: path.join(root, MY_DIGITS_FILE) });
    await service.saveMyDigit({ label: 1, pixels, strokes: STROKES, padSize: 280 });
    await service.saveMyDigit({ label: 1, pixels, strokes: STROKES, padSize: 280 });
    let listing = await service.saveMyDigit({ label: 7, pixels, strokes: STROKES, padSize: 280 });
    expect(listing.revision).toBe(3);
    expect(listing.digits.map((d) => [d.label, d.part])).toEqual([
      [1, 'score'],
      [1, 'fine-tune'],
      [7, 'score'],
    ]);
    const [first, second, third] = listing.digits;
    listing = await service.updateMyDigit({ id: third.id, label: 4, part: 'fine-tune' });
    expect(listing.digits[2]).toMatchObject({ id: third.id, label: 4, part: 'fine-tune' });
    listing = await service.deleteMyDigit({ id: first.id });
    expect(listing.digits.map((d) => d.id)).toEqual([second.id, third.id]);
    await expect(service.deleteMyDigit({ id: first.id })).rejects.toMatchObject({ code: 'not-found' });
    // The file keeps the strokes, so the digit can be prepared again.
    const file = JSON.parse(readFileSync(path.join(root, MY_DIGITS_FILE), 'utf8')) as { digits: StoredDigit[] };
    expect(file.digits[0]).toMatchObject({ id: second.id, padSize: 280, strokes: STROKES });
    for (const digit of listing.digits) await service.deleteMyDigit({ id: digit.id });
  });

  it('scores a run on a known set: the test images it was scored on give its test accuracy, per digit too', async () => {
    const imported = await service.importMyDigits({ text: serializeSet({ revision: 1, digits: testDigits('score') }) });
    expect(imported).toEqual({ added: 300, skipped: 0, overLimit: 0, problem: null });
    const score = await service.scoreMyDigits({ runId });
    expect(score.count).toBe(300);
    expect(score.accuracy).toBe(record.testAccuracy);
    expect(score.perDigit.map((d) => (d.count === 0 ? 0 : d.correct / d.count))).toEqual(record.test!.perClassAccuracy);
    // Every answer is evaluate's: its mistakes (all of them, for 300 images) as it gave them, the label elsewhere.
    const wrong = new Map(record.test!.misclassified.map((m) => [`t-${m.index}`, m.predicted]));
    const labels = new Map(testDigits('score').map((d) => [d.id, d.label]));
    expect(score.answers.map((a) => a.predicted)).toEqual(score.answers.map((a) => wrong.get(a.id) ?? labels.get(a.id)));
    // Cached until the set changes; a change (one digit moved to fine-tuning) scores it again.
    expect(await service.scoreMyDigits({ runId })).toBe(score);
    const moved = await service.updateMyDigit({ id: 't-0', part: 'fine-tune' });
    const again = await service.scoreMyDigits({ runId });
    expect(again).toMatchObject({ revision: moved.revision, count: 299 });
  });

  it('fine-tunes as a new run that names its parent, learns from the fine-tune part only, and reports before and after', async () => {
    for (const id of ['t-1', 't-2', 't-3']) await service.updateMyDigit({ id, part: 'fine-tune' });
    const finished = new Promise<StudioEvent>((resolve) => {
      const off = service.onEvent((e) => (e.type === 'done' || e.type === 'error') && (off(), resolve(e)));
    });
    const { runId: childId } = await service.fineTune({ runId, iterations: 20, learningRate: 0.002, mixRatio: 0.5 });
    expect(await finished).toMatchObject({ type: 'done', runId: childId, iterations: 20 });
    const child = await service.loadRun({ runId: childId });
    expect(child.parent).toEqual({
      runId,
      name: record.name,
      mixRatio: 0.5,
      trainedOn: ['t-0', 't-1', 't-2', 't-3'],
      testAccuracy: record.testAccuracy,
      testCount: 300,
    });
    expect(child).toMatchObject({ testCount: 300, hyperparams: { ...record.hyperparams, budget: 20, learningRate: 0.002 } });
    expect((await service.listRuns()).find((r) => r.runId === childId)?.parent?.runId).toBe(runId);
    const report = await service.fineTuneReport({ runId: childId });
    expect(report).toMatchObject({ runId: childId, parentRunId: runId, trainedOn: 4, mixRatio: 0.5, testCount: 300 });
    expect(report.before.testAccuracy).toBe(record.testAccuracy);
    expect(report.after.testAccuracy).toBe(child.testAccuracy);
    expect(report.before.myDigits?.count).toBe(296);
    expect(report.after.myDigits.count).toBe(296);
    // Moving a digit it learnt from into the score part does not let it be scored on it.
    await service.updateMyDigit({ id: 't-0', part: 'score' });
    expect(await service.scoreMyDigits({ runId: childId })).toMatchObject({ count: 296, excluded: 1 });
    await expect(service.fineTuneReport({ runId })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('refuses to fine-tune without fine-tune digits, naming what to do', async () => {
    const other = new StudioService({ ...dataPaths(root), host: service.host, myDigitsFile: path.join(root, 'empty.json') });
    await expect(other.fineTune({ runId })).rejects.toMatchObject({ code: 'invalid-input', message: /save some under the drawing pad/ });
    await other.dispose();
  });

  it('exports through the save dialog and imports through the open dialog, skipping digits already there', async () => {
    const target = path.join(root, 'exported.json');
    const withDialogs = new StudioService({
      ...dataPaths(root),
      host: service.host,
      chooseSaveFile: async () => target,
      chooseOpenFile: async () => target,
      myDigitsFile: path.join(root, 'second.json'),
    });
    await expect(withDialogs.exportMyDigits()).rejects.toMatchObject({ code: 'invalid-input', message: /no digits to export/ });
    expect(await service.exportMyDigits().catch((e: Error) => e.message)).toMatch(/save dialog/);
    writeFileSync(target, await service.exportMyDigitsText());
    expect(await withDialogs.importMyDigits({})).toMatchObject({ added: 300, skipped: 0 });
    expect(await withDialogs.importMyDigits({})).toMatchObject({ added: 0, skipped: 300 });
    expect(await withDialogs.exportMyDigits()).toEqual({ path: target });
    expect((await withDialogs.listMyDigits()).digits).toEqual((await service.listMyDigits()).digits);
    await withDialogs.dispose();
  });

  it('reads a damaged file: keeps the valid digits, names the file, and says where the old one went', async () => {
    const file = path.join(root, 'damaged.json');
    const digits = testDigits('score').slice(0, 5);
    const json = JSON.parse(serializeSet({ revision: 3, digits })) as { digits: unknown[] };
    (json.digits[2] as { part: string }).part = 'training';
    writeFileSync(file, JSON.stringify(json));
    const damaged = new StudioService({ ...dataPaths(root), host: service.host, myDigitsFile: file });
    const listing = await damaged.listMyDigits();
    expect(listing.digits.map((d) => d.id)).toEqual(['t-0', 't-1', 't-3', 't-4']);
    expect(listing.problem).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 1 of 5 digits could not be read \\(digits\\[2\\]\\.part: expected "fine-tune" or "score", got "training"\\)\\. The other 4 were kept; the file as it was is in ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.damaged-`,
      ),
    );
    // An import of a damaged file takes what it can and says what it left out.
    const imported = await service.importMyDigits({ text: JSON.stringify(json) });
    expect(imported).toMatchObject({
      added: 0,
      skipped: 4,
      problem: expect.stringMatching(/^the uploaded file: 1 of 5 digits could not be read/),
    });
    await expect(service.importMyDigits({ text: '{"digits": 3}' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: /^the uploaded file: not a set of digits/,
    });
    await damaged.dispose();
  });
});
