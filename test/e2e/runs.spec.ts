/** Flow: open the runs list, open a run, compare runs and explore its confusion matrix. */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './harness/expect';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;
const runIds: string[] = [];

beforeAll(async () => {
  session = await openSession();
  for (const units of [8, 16]) {
    const hyperparams = { units, budget: 40, batchSize: 64, validationInterval: 20, seed: units };
    runIds.push(await session.trainRun({ hyperparams, trainLimit: 3000, testLimit: 1000, name: `e2e runs ${units}` }));
  }
  await session.page.reload();
});

afterAll(async () => {
  await session?.close();
});

describe('runs and test results', () => {
  it('lists the saved runs', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    await expectPage.toBeVisible(page.getByTestId('runs-table'));
    await expectPage.toHaveCount(page.getByTestId('run-row'), 2);
    await session.screenshot('runs');
  });

  it('compares two runs on one chart', async () => {
    const { page } = session;
    const boxes = page.getByTestId('run-compare-checkbox');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expectPage.toBeVisible(page.getByTestId('compare-chart'));
    await session.screenshot('runs-compare');
  });

  it('opens a run in the test explorer with its confusion matrix and misclassified digits', async () => {
    const { page } = session;
    await page.getByTestId('run-open').first().click();
    await page.getByTestId('tab-test').click();
    await expectPage.toBeVisible(page.getByTestId('confusion-matrix'));
    const cells = await page.locator('[data-testid^="confusion-cell-"]').count();
    expect(cells).toBe(100);
    await expectPage.toBeVisible(page.getByTestId('misclassified-list'));
    await session.screenshot('test-explorer');
  });

  it('exports a run as a zip download holding the run folder', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    const open = page.getByTestId('run-open').first();
    if ((await open.getAttribute('aria-pressed')) !== 'true') await open.click(); // it toggles
    await expectPage.toBeVisible(page.getByTestId('run-detail'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-export').click()]);
    const runId = download.suggestedFilename().replace(/\.zip$/, '');
    expect(runIds).toContain(runId);
    const entries = Object.keys(unzipSync(readFileSync(await download.path())));
    expect(entries).toEqual(expect.arrayContaining([`${runId}/run.json`, `${runId}/model.json`, `${runId}/weights.bin`]));
    await expectPage.toHaveText(page.getByTestId('notice'), new RegExp(`Run exported.*${runId}\\.zip`, 's'));
    await expect(page.getByTestId('error-alert').count()).resolves.toBe(0);
    await session.screenshot('runs-export');
  });

  it('deletes a run from the list', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    page.once('dialog', (dialog) => void dialog.accept()); // a confirm() if the UI asks
    await page.getByTestId('run-delete').first().click();
    const confirm = page.getByTestId('run-delete-confirm');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await expectPage.until(async () => (await page.getByTestId('run-row').count()) === 1, 'one run left');
    expect((await session.service.listRuns()).length).toBe(1);
  });
});
