/**
 * Flow: plan a 4-trial sweep in the form (units 8 and 16 × 2 seeds, 20 iterations), watch it run
 * to the end (also from a window opened mid-sweep), rank the trials, group them by
 * configuration, export the table as CSV, open the best configuration in the Train form, and
 * another trial and configuration with their "Train" buttons; then stop a sweep from the Train
 * view (its Stop says "Stop sweep"), resume it from the banner, dismiss the offer and delete it.
 * Last, "Run on workers": the Redis URL checked as it is typed, an unreachable Redis refused with
 * its URL shown without the password, and a sweep run by a real worker process (npm run worker)
 * on a real redis-server, its trials waiting, running on the worker and done in the trial list.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestConfig, groupByConfig } from '../../common/sweep-stats';
import { expect as expectPage } from './harness/expect';
import { openSession, openStudioPage } from './harness/session';
import { planSweep, sweepFinished } from './harness/sweep';
import type { Session } from './harness/session';
import { freePort, hasRedisServer, RedisServer } from '../support/redis-server';
import { WorkerProcess } from '../support/queue-workers';

let session: Session;

beforeAll(async () => {
  session = await openSession();
});

afterAll(async () => {
  await session?.close();
});

/** The numbers in one column of the results table, in the order shown (percent cells as fractions). */
async function columnValues(page: Page, columnId: string): Promise<number[]> {
  const texts = await page.locator(`[data-testid="sweep-result-row"] td[data-column="${columnId}"]`).allTextContents();
  return texts.map((text) => Number.parseFloat(text) / (text.includes('%') ? 100 : 1));
}

describe('sweeps from the form', () => {
  it('plans a sweep: the trial count at once, then the estimate', async () => {
    const { page } = session;
    await page.getByTestId('tab-sweeps').click();
    await expectPage.toHaveText(page.getByTestId('sweep-plan-hint'), /List.*Range/);
    await planSweep(page, {
      name: 'e2e sweep',
      lists: { units: '8, 16' },
      seeds: '2',
      batchSize: '32',
      budget: '20',
      validationInterval: '10',
    });
    await expectPage.toHaveText(page.getByTestId('sweep-trial-count'), /2 configurations × 2 seeds = 4 trials/);
    await expectPage.toHaveText(page.getByTestId('sweep-estimate'), /(about .+|under a minute) on this machine/);
    await expectPage.toHaveText(page.getByTestId('sweep-estimate-basis'), /\w/);

    await page.getByTestId('sweep-units-list').fill('8, 0');
    await expectPage.toHaveText(page.getByTestId('sweep-units-error'), /Value 2: Must be at least 1/);
    expect(await page.getByTestId('sweep-start').isDisabled()).toBe(true);
    await page.getByTestId('sweep-units-list').fill('8, 16');
    await expectPage.until(async () => page.getByTestId('sweep-start').isEnabled(), 'Start to be enabled again');
  });

  it('runs the sweep to the end, trial by trial, also in a window opened mid-sweep', async () => {
    const { page } = session;
    await page.getByTestId('sweep-start').click();
    await expectPage.toHaveText(page.getByTestId('sweep-trial'), /trial [1-4] of 4/);
    await expectPage.toBeVisible(page.getByTestId('loss-chart'));

    const late = await openStudioPage(session.browser, session.server.launchUrl);
    try {
      await late.getByTestId('tab-sweeps').click();
      await expectPage.toHaveText(late.getByTestId('sweep-trial'), /trial [1-4] of 4|between trials/);
    } finally {
      await late.close();
    }

    await expectPage.until(() => sweepFinished(page), 'the sweep to finish', 170_000);
    await expectPage.toHaveCount(page.getByTestId('sweep-result-row'), 4);
    await expectPage.toHaveText(page.getByTestId('sweep-phase'), /Ready/);
    expect(await page.locator('[data-testid="sweep-result-row"] td[data-column="status"]').allTextContents()).toEqual(
      Array(4).fill('done'),
    );
    await expectPage.toHaveCount(page.getByTestId('parallel-line'), 4);
    await expectPage.toBeVisible(page.getByTestId('scatter-chart'));
    await expectPage.toBeVisible(page.getByTestId('curves-chart'));
    await session.screenshot('sweeps-finished');
  });

  it('sorts the table by a column, both ways, and says so in aria-sort', async () => {
    const { page } = session;
    const header = page.locator('th', { has: page.getByTestId('sort-bestValidation') });
    await page.getByTestId('sort-bestValidation').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const descending = await columnValues(page, 'bestValidation');
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await page.getByTestId('sort-bestValidation').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(await columnValues(page, 'bestValidation')).toEqual([...descending].reverse());

    await page.getByTestId('results-filter').fill('units:16');
    await expectPage.toHaveText(page.getByTestId('results-count'), /2 of 4 rows/);
    await page.getByTestId('results-filter').fill('');
  });

  it('groups the trials by configuration with mean ± std, the best highlighted', async () => {
    const { page } = session;
    await page.getByTestId('group-by-config').check();
    await expectPage.until(async () => (await page.getByTestId('sweep-result-row').count()) === 2, 'two configuration rows');
    expect(await page.locator('[data-testid="sweep-result-row"] td[data-column="bestValidation"]').allTextContents()).toEqual([
      expect.stringMatching(/%\s±\s\d/),
      expect.stringMatching(/%\s±\s\d/),
    ]);
    await expectPage.toHaveCount(page.getByTestId('best-badge'), 1);
    await page.getByTestId('group-by-config').uncheck();
  });

  it('exports the table as CSV, the rows as shown at full precision', async () => {
    const { page, service } = session;
    const [listed] = (await service.listSweeps()).sweeps;
    const state = await service.loadSweep({ sweepId: listed.sweepId });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe('e2e-sweep.csv');
    const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const [header, ...records] = text.trimEnd().split('\r\n');
    expect(header).toBe('trial,units,seed,bestValidation,finalValidation,testAccuracy,iterations,totalIterations,status,wallMs,runId');
    expect(records).toHaveLength(4);
    // Sorted ascending by best validation, as the table was left.
    const scores = records.map((r) => Number(r.split(',')[3]));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    for (const record of records) {
      const [trialNumber, units, seed, best, , , iterations, total, status, , runId] = record.split(',');
      const trial = state.trials[Number(trialNumber) - 1];
      expect({
        units: Number(units),
        seed: Number(seed),
        best: Number(best),
        iterations: Number(iterations),
        total: Number(total),
      }).toEqual({
        units: trial.hyperparams.units,
        seed: trial.hyperparams.seed,
        best: trial.bestValidation,
        iterations: 20,
        total: 20,
      });
      expect([status, runId]).toEqual(['done', trial.runId]);
    }
  });

  it('opens the best configuration in the Train form', async () => {
    const { page, service } = session;
    const [listed] = (await service.listSweeps()).sweeps;
    const best = bestConfig(groupByConfig((await service.loadSweep({ sweepId: listed.sweepId })).trials));
    expect(best).not.toBeNull();
    await page.getByTestId('train-best').click();
    expect(await page.getByTestId('tab-train').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('hp-units').inputValue()).toBe(String(best!.hyperparams.units));
    expect(await page.getByTestId('hp-batchSize').inputValue()).toBe('32');
    expect(await page.getByTestId('hp-budget').inputValue()).toBe('20');
    expect(await page.getByTestId('hp-name').inputValue()).toBe('e2e sweep: best configuration');
    await expectPage.toHaveText(page.getByTestId('notice'), /best configuration/);
  });

  it('trains any other trial or configuration too: its values and seed go into the Train form', async () => {
    const { page, service } = session;
    const [listed] = (await service.listSweeps()).sweeps;
    const { trials } = await service.loadSweep({ sweepId: listed.sweepId });
    const results = groupByConfig(trials);
    const best = bestConfig(results)!;
    const other = trials.find((t) => t.configIndex !== best.configIndex)!;

    await page.getByTestId('tab-sweeps').click();
    await page.getByRole('button', { name: `Train trial ${other.index + 1} in the Train form` }).click();
    expect(await page.getByTestId('tab-train').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('hp-units').inputValue()).toBe(String(other.hyperparams.units));
    expect(await page.getByTestId('hp-seed').inputValue()).toBe(String(other.hyperparams.seed));
    expect(await page.getByTestId('hp-budget').inputValue()).toBe('20');
    expect(await page.getByTestId('hp-name').inputValue()).toBe(`e2e sweep: trial ${other.index + 1}`);

    // A configuration row trains with the seed of that configuration's best trial.
    const config = results.find((r) => r.configIndex === other.configIndex)!;
    const bestTrial = config.trials.reduce((a, t) => ((t.bestValidation ?? 0) > (a.bestValidation ?? 0) ? t : a));
    await page.getByTestId('tab-sweeps').click();
    await page.getByTestId('group-by-config').check();
    const row = page.locator(`[data-testid="sweep-result-row"][data-config-index="${other.configIndex}"]`);
    expect(await row.getByTestId('best-badge').count()).toBe(0);
    await row.getByTestId('train-row').click();
    expect(await page.getByTestId('hp-units').inputValue()).toBe(String(other.hyperparams.units));
    expect(await page.getByTestId('hp-seed').inputValue()).toBe(String(bestTrial.hyperparams.seed));
    expect(await page.getByTestId('hp-name').inputValue()).toBe(`e2e sweep: configuration ${other.configIndex + 1}`);
  });

  it('tags the trials’ runs in the Runs view', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    await expectPage.toHaveCount(page.getByTestId('run-sweep-tag'), 4);
    await expectPage.toHaveText(page.getByTestId('run-sweep-tag'), /sweep( e2e sweep)? · trial [1-4]/);
  });

  it('stops a sweep, offers to resume it, resumes it, dismisses the offer and deletes it after a confirmation', async () => {
    const { page, service } = session;
    await page.getByTestId('tab-sweeps').click();
    await planSweep(page, {
      name: 'e2e stopped sweep',
      lists: { units: '8, 12, 16' },
      seeds: '1',
      batchSize: '32',
      budget: '100000',
      validationInterval: '0',
    });
    await page.getByTestId('sweep-start').click();
    await expectPage.toHaveText(page.getByTestId('sweep-trial'), /trial 1 of 3/);
    await expectPage.until(
      async () => Number(await page.getByTestId('progress-bar').getAttribute('aria-valuenow')) > 0,
      'trial 1 to train',
    );
    // The Train view shows the trial as its run, and its Stop says it ends the whole sweep.
    await page.getByTestId('tab-train').click();
    await expectPage.toHaveText(page.getByTestId('train-sweep-trial'), /Trial 1 of 3 of sweep “e2e stopped sweep”/);
    await expectPage.toHaveText(page.getByTestId('stop-button'), /^\s*Stop sweep\s*$/);
    expect(await page.getByTestId('start-button').isDisabled()).toBe(true);
    await page.getByTestId('stop-button').click();
    await page.getByTestId('tab-sweeps').click();
    await expectPage.toHaveText(page.getByTestId('resumable-sweep'), /“e2e stopped sweep” was stopped after 1 of 3 trials/, 120_000);

    await page.getByTestId('sweep-resume').click();
    await expectPage.toHaveText(page.getByTestId('sweep-trial'), /trial 2 of 3/, 120_000);
    await page.getByTestId('sweep-stop').click();
    await expectPage.toHaveText(page.getByTestId('resumable-sweep'), /was stopped after 2 of 3 trials/, 120_000);
    const stopped = (await service.listSweeps()).sweeps.find((s) => s.name === 'e2e stopped sweep')!;
    expect(stopped).toMatchObject({ status: 'stopped', finished: 2, trialCount: 3 });

    // Dismissed for good: a reload does not bring the offer back (it stays in the list, with its own Resume).
    await page.getByTestId('sweep-dismiss').click();
    expect(await page.getByTestId('resumable-sweep').count()).toBe(0);
    await page.reload();
    await page.getByTestId('tab-sweeps').click();
    await expectPage.toHaveCount(page.getByTestId('sweep-row'), 2);
    expect(await page.getByTestId('resumable-sweep').count()).toBe(0);

    const row = page.locator(`[data-testid="sweep-row"][data-sweep-id="${stopped.sweepId}"]`);
    expect(await row.getByTestId('sweep-row-resume').isEnabled()).toBe(true);
    await row.getByTestId('sweep-delete').click();
    await row.getByTestId('sweep-delete-confirm').click();
    await expectPage.until(async () => (await page.getByTestId('sweep-row').count()) === 1, 'one sweep left');
    expect((await service.listSweeps()).sweeps.map((s) => s.name)).toEqual(['e2e sweep']);
  });
});

describe.skipIf(!hasRedisServer())('a sweep on workers from the form', () => {
  let redis: RedisServer;
  let worker: WorkerProcess | null = null;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lstm-studio-e2e-worker-'));

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await redis?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('checks the Redis URL as it is typed, and refuses an unreachable Redis without showing its password', async () => {
    const { page } = session;
    await page.getByTestId('tab-sweeps').click();
    await planSweep(page, {
      name: 'e2e on workers',
      lists: { units: '8, 16' },
      seeds: '1',
      batchSize: '32',
      budget: '20',
      validationInterval: '10',
    });
    await page.getByTestId('sweep-where-workers').check();
    await page.getByTestId('sweep-queue-url').fill('lab:6379');
    await expectPage.toHaveText(page.getByTestId('sweep-queue-url-error'), /starts with redis:\/\//);
    expect(await page.getByTestId('sweep-start').isDisabled()).toBe(true);
    const port = await freePort();
    // The password in both the URL and its own field is refused beside the field; in the field alone, taken.
    await page.getByTestId('sweep-queue-url').fill(`redis://:hunter2-e2e@127.0.0.1:${port}/0`);
    await page.getByTestId('sweep-queue-password').fill('hunter2-e2e');
    await expectPage.toHaveText(page.getByTestId('sweep-queue-password-error'), /holds a password already/);
    expect(await page.getByTestId('sweep-queue-password').getAttribute('type')).toBe('password');
    await page.getByTestId('sweep-queue-url').fill(`redis://127.0.0.1:${port}/0`);
    await expectPage.until(async () => page.getByTestId('sweep-start').isEnabled(), 'Start to be enabled');
    await page.getByTestId('sweep-start').click();
    await expectPage.toHaveText(
      page.getByTestId('error-alert'),
      new RegExp(`Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0`),
    );
    expect(await page.locator('body').innerText()).not.toContain('hunter2-e2e');
    await page.getByTestId('alert-dismiss').click();
    await page.getByTestId('sweep-queue-password').fill('');
  });

  it('runs the trials on a worker: waiting, running on it with live progress, done, in the trial list', async () => {
    const { page, service } = session;
    await page.getByTestId('sweep-queue-url').fill(redis.url());
    await page.getByTestId('sweep-start').click();
    // No worker yet: both trials wait.
    await expectPage.toBeVisible(page.getByTestId('worker-trials-empty'));
    await expectPage.until(
      async () =>
        (await page.locator('[data-testid="sweep-result-row"] td[data-column="status"]').allTextContents()).every((t) => t === 'waiting'),
      'both trials waiting',
    );
    worker = new WorkerProcess({ url: redis.url(), name: 'e2e-worker', dataDir });
    await worker.ready();
    await expectPage.toHaveText(page.getByTestId('worker-trial'), /trial [12] on e2e-worker/, 120_000);
    await expectPage.until(() => sweepFinished(page), 'the sweep on workers to finish', 170_000);
    const statuses = await page.locator('[data-testid="sweep-result-row"] td[data-column="status"]').allTextContents();
    expect(statuses).toEqual(['done', 'done']);
    expect(await page.locator('[data-testid="sweep-result-row"] td[data-column="worker"]').allTextContents()).toEqual([
      'e2e-worker',
      'e2e-worker',
    ]);
    expect(await page.locator('body').innerText()).not.toContain(redis.password ?? '');
    const sweep = (await service.listSweeps()).sweeps.find((s) => s.name === 'e2e on workers');
    expect(sweep).toMatchObject({ status: 'done', finished: 2, trialCount: 2 });
    // Back to this machine for whatever runs next in this window.
    await page.getByTestId('sweep-where-local').check();
  });
});
