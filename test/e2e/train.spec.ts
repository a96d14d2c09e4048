/**
 * Flow: set hyperparameters, train, watch progress and charts, see the final accuracy and save
 * the run's history; stop a run mid-way.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './harness/expect';
import { QUICK_RUN, fillHyperparams, progressValue } from './harness/form';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;

beforeAll(async () => {
  session = await openSession();
});

afterAll(async () => {
  await session?.close();
});

describe('training from the form', () => {
  it('shows the backend the worker picked', async () => {
    await expectPage.toHaveText(session.page.getByTestId('backend-badge'), /tensorflow|webassembly|wasm|cpu|javascript/i);
  });

  it('trains a short run: the progress bar and charts advance and the final accuracy appears', async () => {
    const { page } = session;
    await page.getByTestId('tab-train').click();
    await fillHyperparams(page, QUICK_RUN);
    await page.getByTestId('start-button').click();
    await expectPage.toBeVisible(page.getByTestId('progress-bar'));
    await expectPage.until(async () => (await progressValue(page)) > 0, 'the progress bar to move');
    await expectPage.toBeVisible(page.getByTestId('loss-chart'));
    await expectPage.toBeVisible(page.getByTestId('accuracy-chart'));
    await expectPage.toHaveText(page.getByTestId('final-accuracy'), /\d+(\.\d+)?\s*%/, 120_000);
    expect(await progressValue(page)).toBe(40);
    await session.screenshot('train-finished');
  });

  it("saves the finished run's history as CSV from the Train view", async () => {
    const { page, service } = session;
    const [run] = await service.listRuns();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-history-csv').click()]);
    expect(download.suggestedFilename()).toBe('e2e-quick-run-history.csv');
    const [header, ...records] = readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header).toBe('iteration,loss,accuracy,validationLoss,validationAccuracy');
    const { history } = await service.loadRun({ runId: run.runId });
    expect(records).toHaveLength(new Set([...history.train, ...history.validation].map((p) => p.iteration)).size);
    expect(Number(records.at(-1)!.split(',')[0])).toBe(40);
  });

  it('stops a long run mid-way and keeps what it learned', async () => {
    const { page } = session;
    await fillHyperparams(page, { ...QUICK_RUN, budget: '100000', validationInterval: '0', name: 'e2e stopped run' });
    await page.getByTestId('start-button').click();
    await expectPage.until(async () => (await progressValue(page)) >= 20, 'some progress before stopping');
    await session.screenshot('train-running');
    await page.getByTestId('stop-button').click();
    await expectPage.toBeVisible(page.getByTestId('stopped-early'), 120_000);
    expect(await progressValue(page)).toBeLessThan(100_000);
    await expectPage.toHaveText(page.getByTestId('final-accuracy'), /%/);
    await session.screenshot('train-stopped');
  });
});
