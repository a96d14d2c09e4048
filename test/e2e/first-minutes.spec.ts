/**
 * Flows of a person's first minutes that once went wrong, each checked by what the person sees
 * afterwards: deleting a run that is open, stopping at once, a run that diverges, reloading
 * mid-run, the form during a run, keyboard focus, alerts, unreadable ink and the confusion matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stroke } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { QUICK_RUN, fillHyperparams, progressValue } from './harness/form';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;
const LONG = {
  ...QUICK_RUN,
  learningRate: '0.001',
  optimizer: 'adam' as const,
  budget: '100000',
  validationInterval: '20',
  name: 'e2e long run',
};

beforeAll(async () => {
  session = await openSession();
  for (const units of [8, 12]) {
    await session.trainRun({
      hyperparams: { units, budget: 30, batchSize: 32, validationInterval: 10, seed: units },
      trainLimit: 2000,
      testLimit: 500,
      name: `saved ${units}`,
    });
  }
  await session.page.reload();
});

afterAll(async () => {
  await session?.close();
});

/** The error alerts on screen, as text, so a failure says what they were. */
const errorTexts = () => session.page.getByTestId('error-alert').allTextContents();
const focusedTestId = () =>
  session.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

describe('the Runs view', () => {
  it('deletes a run that is open and ticked for comparison without a false error', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    for (const box of await page.getByTestId('run-compare-checkbox').all()) await box.check();
    await page.getByTestId('run-open').first().click();
    await expectPage.toBeVisible(page.getByTestId('run-detail'));
    await page.getByTestId('run-delete').first().click();
    await page.getByTestId('run-delete-confirm').click();
    await expectPage.until(async () => (await page.getByTestId('run-row').count()) === 1, 'one run left');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a stray reload of the deleted run would fail by now
    expect(await errorTexts()).toEqual([]);
    expect(await page.getByTestId('run-detail').count()).toBe(0);
  });

  it('backs out of a delete confirmation with Escape, focus back on Delete', async () => {
    const { page } = session;
    await page.getByTestId('run-delete').first().click();
    await expectPage.until(async () => (await focusedTestId()) === 'run-delete-cancel', 'focus on Cancel');
    await page.keyboard.press('Escape');
    await expectPage.until(async () => (await page.getByTestId('run-delete-confirm').count()) === 0, 'the confirmation to close');
    expect(await focusedTestId()).toBe('run-delete');
  });
});

describe('the Train view', () => {
  it('Stop right after Start: no stale ETA or speed, and the run that never got going can be discarded', async () => {
    const { page } = session;
    await page.getByTestId('tab-train').click();
    await fillHyperparams(page, { ...LONG, name: 'stopped at once' });
    await page.getByTestId('start-button').click();
    await expectPage.until(async () => (await progressValue(page)) >= 1, 'the first progress');
    await page.getByTestId('stop-button').click();
    await expectPage.toBeVisible(page.getByTestId('stopped-early'), 120_000);
    expect(await page.getByTestId('progress-eta').count()).toBe(0);
    expect(await page.getByTestId('samples-per-sec').count()).toBe(0);
    await expectPage.toHaveText(page.getByTestId('progress-outcome'), /stopped early/);
    await page.getByTestId('discard-run').click();
    await expectPage.until(async () => (await page.getByTestId('final-result').count()) === 0, 'the discarded result to go');
    expect((await session.service.listRuns()).map((r) => r.name)).not.toContain('stopped at once');
    expect(await errorTexts()).toEqual([]);
  });

  it('locks the form while a run trains, moves focus to Stop and back, and starts on Enter in a field', async () => {
    const { page } = session;
    await fillHyperparams(page, { ...QUICK_RUN, budget: '60', name: 'started with Enter' });
    await page.getByTestId('hp-units').press('Enter');
    await expectPage.toBeVisible(page.getByTestId('form-locked'));
    expect(await page.getByTestId('hp-units').isDisabled()).toBe(true);
    await expectPage.until(async () => (await focusedTestId()) === 'stop-button', 'focus on Stop');
    await expectPage.toHaveText(page.getByTestId('final-accuracy'), /%/, 120_000);
    await expectPage.until(async () => (await focusedTestId()) === 'final-result', 'focus on the result');
    expect(await page.getByTestId('hp-units').isDisabled()).toBe(false);
    expect(await page.getByTestId('form-locked').count()).toBe(0);
  });

  it('keeps a diverged run\u2019s reason and curves on screen after its alert would have gone', async () => {
    const { page } = session;
    await fillHyperparams(page, { ...QUICK_RUN, units: '64', learningRate: '10', optimizer: 'rmsprop', budget: '400', name: 'diverges' });
    await page.getByTestId('start-button').click();
    await expectPage.toBeVisible(page.getByTestId('failed-result'), 120_000);
    await expectPage.toHaveText(page.getByTestId('failed-reason'), /diverged at iteration \d+/);
    await page.getByTestId('tab-draw').click(); // away and back, as a person reading the alert would
    await page.getByTestId('tab-train').click();
    await expectPage.toHaveText(page.getByTestId('failed-reason'), /diverged/);
    expect(await page.getByTestId('chart-placeholder').count()).toBe(0);
    await expectPage.toHaveText(page.getByTestId('progress-outcome'), /failed/);
  });

  it('after a reload mid-run shows the curves from the start, validation points included', async () => {
    const { page } = session;
    await fillHyperparams(page, { ...LONG, name: 'reloaded mid-run' });
    await page.getByTestId('start-button').click();
    await expectPage.until(async () => (await progressValue(page)) >= 70, 'three validation passes');
    await page.reload();
    await expectPage.until(async () => (await progressValue(page)) > 0, 'the run to be picked up');
    const chart = page.getByTestId('loss-chart');
    await expectPage.until(async () => (await chart.getAttribute('data-first-iteration')) === '10', 'the curve to start at iteration 10');
    expect(Number(await chart.getAttribute('data-validation-points'))).toBeGreaterThanOrEqual(3);
    await expectPage.toHaveText(page.getByTestId('latest-metrics'), /validation accuracy/);
  });

  it('shows outside the Train view that a run is going, and goes back to it', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    await expectPage.toHaveText(page.getByTestId('run-indicator'), /Training · \d+ %/);
    await page.getByTestId('run-indicator').click();
    await expectPage.toBeVisible(page.getByTestId('stop-button'));
    await page.getByTestId('stop-button').click();
    await expectPage.toBeVisible(page.getByTestId('stopped-early'), 120_000);
    expect(await page.getByTestId('run-indicator').count()).toBe(0);
  });
});

describe('alerts and answers', () => {
  it('lets a notice fade and keeps a view\u2019s error in that view', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('run-open').first().click();
    await Promise.all([page.waitForEvent('download'), page.getByTestId('run-export').click()]);
    await expectPage.toBeVisible(page.getByTestId('notice'));
    await expectPage.until(async () => (await page.getByTestId('notice').count()) === 0, 'the notice to fade', 15_000);
  });

  it('says when the ink is too small to read instead of a confident answer', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    await stroke(page, [
      [0.5, 0.5],
      [0.53, 0.52],
    ]);
    await expectPage.toHaveText(page.getByTestId('legibility-problem'), /Too small to read/);
    await page.getByTestId('draw-clear').click();
    await stroke(page, [
      [0.2, 0.5],
      [0.8, 0.5],
    ]);
    await expectPage.toHaveText(page.getByTestId('legibility-problem'), /line, not a digit/);
  });

  it('brings the mistakes into view for a confusion cell, and says a diagonal cell was read correctly', async () => {
    const { page } = session;
    await page.getByTestId('tab-test').click();
    await expectPage.toBeVisible(page.getByTestId('confusion-matrix'));
    await page.getByTestId('confusion-cell-1-1').click();
    await expectPage.toHaveText(page.locator('#mistakes-heading'), /1s read correctly/);
    expect(await page.getByTestId('mistakes-section').textContent()).not.toMatch(/stored/);
    await page.getByTestId('confusion-cell-2-1').click();
    await expectPage.until(
      async () =>
        page.getByTestId('mistakes-section').evaluate((el) => {
          const rect = el.getBoundingClientRect();
          return rect.top >= 0 && rect.top < window.innerHeight;
        }),
      'the mistakes to scroll into view',
    );
  });
});
