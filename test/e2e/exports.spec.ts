/**
 * Flow: take results away and find the studio as it was left. Each chart saved as PNG is a real
 * PNG of the chart's size, opaque, with the curves in it (the Runs view's charts and comparison,
 * a sweep's scatter, curves and SVG parallel coordinates); a run's history CSV has a record per
 * recorded iteration; the test-set CSV holds the labelled 10 × 10 matrix. The log-scale toggle,
 * the smoothing, the view and the chosen run survive a reload; a remembered run that was since
 * deleted gives way to the newest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './harness/expect';
import { openSession, SCREENSHOT_DIR } from './harness/session';
import { sweepDirectly } from './harness/sweep';
import type { Session } from './harness/session';

let session: Session;
/** Oldest first: the first is the one chosen and later deleted, the last the newest. */
const runIds: string[] = [];

beforeAll(async () => {
  session = await openSession();
  await sweepDirectly(session.service, {
    name: 'e2e export sweep',
    base: { units: 8, budget: 20, batchSize: 32, validationInterval: 10, seed: 1 },
    vary: { units: { mode: 'list', values: [8, 12] } },
    seedsPerConfig: 1,
    trainLimit: 1000,
    testLimit: 200,
  });
  for (const units of [8, 12]) {
    const hyperparams = { units, budget: 40, batchSize: 64, validationInterval: 15, seed: units };
    runIds.push(await session.trainRun({ hyperparams, trainLimit: 3000, testLimit: 500, name: `e2e export ${units}` }));
  }
  await session.page.reload();
});

afterAll(async () => {
  await session?.close();
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Clicks `button` and reads the download it starts. */
async function downloadFrom(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** A CSV download's records (the BOM dropped), each split at its commas (no exported cell here holds one). */
async function csvFrom(page: Page, button: Locator): Promise<{ name: string; records: string[][] }> {
  const { name, bytes } = await downloadFrom(page, button);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  expect(text.endsWith('\r\n')).toBe(true);
  return {
    name,
    records: text
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(',')),
  };
}

/**
 * Checks a saved PNG: signature, its IHDR size equal to `size`, and, decoded by the page, an
 * opaque picture with something drawn on it (pixels unlike its corner's, the background).
 */
async function expectChartPng(page: Page, bytes: Buffer, size: { width: number; height: number }): Promise<void> {
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }).toEqual(size);
  const look = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let isOpaque = true;
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] !== 255) isOpaque = false;
      if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 60) drawn++;
    }
    return { isOpaque, drawnShare: drawn / (data.length / 4) };
  }, bytes.toString('base64'));
  expect(look.isOpaque).toBe(true);
  expect(look.drawnShare).toBeGreaterThan(0.005); // axes, labels and curves
}

/** A canvas's size in device pixels: what its PNG must measure. */
async function canvasSize(canvas: Locator): Promise<{ width: number; height: number }> {
  return canvas.evaluate((el: HTMLCanvasElement) => ({ width: el.width, height: el.height }));
}

function runRow(page: Page, runId: string): Locator {
  return page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
}

describe('exports', () => {
  it("saves a run's history as CSV: a header and one record per recorded iteration", async () => {
    const { page, service } = session;
    await page.getByTestId('tab-runs').click();
    await runRow(page, runIds[1]).getByTestId('run-open').click();
    const detail = page.getByTestId('run-detail');
    await expectPage.toBeVisible(detail);
    const { name, records } = await csvFrom(page, detail.getByTestId('run-history-csv'));
    expect(name).toBe('e2e-export-12-history.csv');
    const [header, ...body] = records;
    expect(header).toEqual(['iteration', 'loss', 'accuracy', 'validationLoss', 'validationAccuracy']);
    const { history } = await service.loadRun({ runId: runIds[1] });
    const iterations = [...new Set([...history.train, ...history.validation].map((p) => p.iteration))].sort((a, b) => a - b);
    expect(body.map((record) => Number(record[0]))).toEqual(iterations);
    expect(body.filter((record) => record[3] !== '')).toHaveLength(history.validation.length);
    const last = history.train.at(-1)!;
    expect(
      body
        .find((record) => Number(record[0]) === last.iteration)
        ?.slice(1, 3)
        .map(Number),
    ).toEqual([last.loss, last.accuracy]);
  });

  it("saves the run's loss and accuracy charts as PNG pictures of them, named after run and chart", async () => {
    const { page } = session;
    const detail = page.getByTestId('run-detail');
    for (const [index, chart] of ['loss', 'accuracy'].entries()) {
      const { name, bytes } = await downloadFrom(page, detail.getByTestId('save-png').nth(index));
      expect(name).toBe(`e2e-export-12-${chart}.png`);
      await expectChartPng(page, bytes, await canvasSize(detail.getByTestId(`${chart}-chart`)));
      writeFileSync(path.join(SCREENSHOT_DIR, `exported-${chart}-chart.png`), bytes); // to look at
    }
    await expectPage.toHaveText(page.getByTestId('notice'), /Chart saved/);
  });

  it('saves the comparison of two runs as PNG', async () => {
    const { page } = session;
    for (const runId of runIds) await runRow(page, runId).getByTestId('run-compare-checkbox').check();
    const compare = page.getByTestId('run-compare');
    await expectPage.toBeVisible(compare.getByTestId('compare-chart'));
    const { name, bytes } = await downloadFrom(page, compare.getByTestId('save-png'));
    expect(name).toBe('e2e-export-8-vs-e2e-export-12-comparison.png');
    await expectChartPng(page, bytes, await canvasSize(compare.getByTestId('compare-chart')));
    await session.screenshot('exports-runs');
  });

  it("saves the test set's result as CSV: the labelled 10 × 10 confusion matrix and each digit's accuracy", async () => {
    const { page, service } = session;
    await page.getByTestId('tab-test').click();
    await page.getByTestId('run-select').selectOption(runIds[1]);
    await expectPage.toBeVisible(page.getByTestId('confusion-matrix'));
    const { name, records } = await csvFrom(page, page.getByTestId('test-results-csv'));
    expect(name).toBe('e2e-export-12-test-set-result.csv');
    const test = (await service.loadRun({ runId: runIds[1] })).test!;
    expect(records[0]).toEqual(['true digit', ...test.confusion.map((_, d) => `predicted ${d}`), 'images', 'accuracy']);
    expect(records).toHaveLength(12);
    records.slice(1, 11).forEach((record, label) => {
      expect(record.map(Number)).toEqual([
        label,
        ...test.confusion[label],
        test.confusion[label].reduce((a, b) => a + b, 0),
        test.perClassAccuracy[label],
      ]);
    });
    expect(records[11].slice(-2).map(Number)).toEqual([test.count, test.accuracy]);
  });

  it("saves a sweep's scatter, curves and parallel coordinates (an SVG) as PNG", async () => {
    const { page } = session;
    await page.getByTestId('tab-sweeps').click();
    await page.getByTestId('sweep-open').first().click();
    const pictures = page.getByTestId('sweep-pictures');
    await expectPage.toHaveCount(pictures.getByTestId('parallel-line'), 2);
    await expectPage.toBeVisible(pictures.getByTestId('curves-chart'));
    const buttons = pictures.getByTestId('save-png');
    expect(await buttons.count()).toBe(3);

    const parallel = await downloadFrom(page, buttons.nth(0));
    expect(parallel.name).toBe('e2e-export-sweep-parallel-coordinates.png');
    const svg = await pictures.getByTestId('parallel-coordinates').evaluate((el) => {
      const { width, height } = el.getBoundingClientRect();
      return { width: Math.round(width * devicePixelRatio), height: Math.round(height * devicePixelRatio) };
    });
    await expectChartPng(page, parallel.bytes, svg);
    writeFileSync(path.join(SCREENSHOT_DIR, 'exported-parallel-coordinates.png'), parallel.bytes);

    const scatter = await downloadFrom(page, buttons.nth(1));
    expect(scatter.name).toBe('e2e-export-sweep-accuracy-against-units.png');
    await expectChartPng(page, scatter.bytes, await canvasSize(pictures.getByTestId('scatter-chart')));
    const curves = await downloadFrom(page, buttons.nth(2));
    expect(curves.name).toBe('e2e-export-sweep-validation-curves.png');
    await expectChartPng(page, curves.bytes, await canvasSize(pictures.getByTestId('curves-chart')));
    await expect(page.getByTestId('error-alert').count()).resolves.toBe(0);
  });
});

describe('what the studio remembers', () => {
  it('keeps the log scale, the smoothing, the view and the chosen run across a reload', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    const detail = page.getByTestId('run-detail');
    await expectPage.toBeVisible(detail);
    expect(await detail.getByTestId('loss-chart').getAttribute('data-y-scale')).toBe('linear');
    await detail.getByTestId('loss-log-scale').check();
    await detail.getByTestId('smoothing').fill('0.5');
    await expectPage.toHaveText(detail.getByTestId('smoothing-value'), /^0\.50$/);
    expect(await detail.getByTestId('loss-chart').getAttribute('data-y-scale')).toBe('log');
    // Both copies of the settings (comparison and details) are one setting.
    expect(await page.getByTestId('run-compare').getByTestId('loss-log-scale').isChecked()).toBe(true);

    await page.getByTestId('tab-draw').click();
    await page.getByTestId('run-select').selectOption(runIds[0]); // not the newest
    await page.reload();
    await expectPage.toBeVisible(page.getByTestId('draw-canvas'));
    expect(await page.getByTestId('tab-draw').getAttribute('aria-selected')).toBe('true');
    await expectPage.until(async () => (await page.getByTestId('run-select').inputValue()) === runIds[0], 'the chosen run back');

    await page.getByTestId('tab-runs').click();
    await runRow(page, runIds[1]).getByTestId('run-open').click();
    const reopened = page.getByTestId('run-detail');
    await expectPage.toBeVisible(reopened.getByTestId('loss-chart'));
    expect(await reopened.getByTestId('loss-log-scale').isChecked()).toBe(true);
    expect(await reopened.getByTestId('smoothing').inputValue()).toBe('0.5');
    expect(await reopened.getByTestId('loss-chart').getAttribute('data-y-scale')).toBe('log');
    await session.screenshot('exports-remembered');
  });

  it('gives way to the newest run when the remembered one was deleted', async () => {
    const { page, service } = session;
    await page.getByTestId('tab-test').click();
    await page.getByTestId('run-select').selectOption(runIds[0]);
    // Deleted behind this window's back, as another window or a file manager would.
    await service.deleteRun({ runId: runIds[0] });
    await page.reload();
    expect(await page.getByTestId('tab-test').getAttribute('aria-selected')).toBe('true');
    await expectPage.until(async () => (await page.getByTestId('run-select').inputValue()) === runIds[1], 'the newest run');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('lstm-studio:view-state') ?? 'null') as unknown);
    expect(stored).toMatchObject({ view: 'test', chosenRunId: null, isLossLog: true, smoothing: 0.5 });
  });
});
