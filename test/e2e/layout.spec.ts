/**
 * Every view at the window's minimum size (1024×700) and at 1920×1080, light and dark, with long
 * run names, augmentation's examples in the Train form, two runs compared and one opened, a digit
 * on the pad, and a finished sweep's results and pictures open: no element sticks out of
 * its card, nothing scrolls sideways (also after the window narrows and widens again), and the
 * header never moves. Screenshots of each view at
 * 1024×700 go to test-results/screenshots/ (the README's small-window set is taken from them).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSeven } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { fillHyperparams } from './harness/form';
import { cardOverflowProblems, headerBox, sidewaysScrollProblems, windowScrollProblems } from './harness/layout';
import { openSession, openStudioPage, SCREENSHOT_DIR } from './harness/session';
import { sweepDirectly } from './harness/sweep';
import type { Session } from './harness/session';

const LONG_NAME = 'A deliberately long run name, to see that tables, charts and menus keep it in its place';
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 715 },
  { width: 1920, height: 1080 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
const VIEWS = ['train', 'runs', 'draw', 'test', 'sweeps'] as const;

let session: Session;

beforeAll(async () => {
  session = await openSession();
  for (const units of [8, 12]) {
    const hyperparams = { units, budget: 30, batchSize: 32, validationInterval: 10, seed: units };
    await session.trainRun({ hyperparams, trainLimit: 2000, testLimit: 500, name: `${LONG_NAME} (${units} units)` });
  }
  // Two configurations, two seeds: every column of the table, a spread, and all three pictures.
  await sweepDirectly(session.service, {
    name: `${LONG_NAME} (sweep)`,
    base: { units: 8, budget: 20, batchSize: 32, validationInterval: 10, seed: 1 },
    vary: { units: { mode: 'list', values: [8, 12] } },
    seedsPerConfig: 2,
    trainLimit: 2000,
    testLimit: 500,
  });
});

afterAll(async () => {
  await session?.close();
});

/**
 * Puts each view in its fullest state: augmentation on (its example strip in the form), runs
 * compared and opened, a digit drawn, the sweep opened.
 */
async function fill(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
  if (view === 'train') {
    await fillHyperparams(page, { rotation: '15', elastic: '2' });
    await expectPage.toBeVisible(page.getByTestId('augmentation-strip'));
  } else if (view === 'runs') {
    for (const box of await page.getByTestId('run-compare-checkbox').all()) await box.check();
    await page.getByTestId('run-open').first().click();
    await expectPage.toBeVisible(page.getByTestId('compare-chart'));
    await expectPage.toBeVisible(page.getByTestId('run-detail'));
  } else if (view === 'draw') {
    await drawSeven(page);
    await expectPage.toHaveText(page.getByTestId('predicted-digit'), /\d/);
  } else if (view === 'test') {
    await expectPage.toBeVisible(page.getByTestId('confusion-matrix'));
  } else if (view === 'sweeps') {
    await page.getByTestId('sweep-open').first().click();
    await expectPage.toHaveCount(page.getByTestId('sweep-result-row'), 4);
    await expectPage.toHaveCount(page.getByTestId('parallel-line'), 4);
    await expectPage.toBeVisible(page.getByTestId('scatter-chart'));
    await expectPage.toBeVisible(page.getByTestId('curves-chart'));
  }
}

describe.each(SIZES)('every view at $width×$height', (size) => {
  it.each(SCHEMES)('%s: nothing overflows its card, nothing scrolls sideways, the header stays put', async (scheme) => {
    const page = await openStudioPage(session.browser, session.server.launchUrl, size);
    try {
      await page.emulateMedia({ colorScheme: scheme });
      await expectPage.toHaveCount(page.getByTestId('tab-train'), 1);
      const header = await headerBox(page);
      const problems: string[] = [];
      for (const view of VIEWS) {
        await page.getByTestId(`tab-${view}`).click();
        await fill(page, view);
        await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 1e6)); // scrolled to the end, too
        problems.push(...(await windowScrollProblems(page)).map((p) => `${view}: ${p}`));
        problems.push(...(await cardOverflowProblems(page)).map((p) => `${view}: ${p}`));
        // Narrower and back, as a person resizing the window: charts once kept the wider size.
        await page.setViewportSize({ width: Math.max(900, size.width - 300), height: size.height });
        await page.setViewportSize(size);
        await page.waitForTimeout(400);
        problems.push(...(await sidewaysScrollProblems(page)).map((p) => `${view}, after a resize: ${p}`));
        expect(await headerBox(page), `${view}: the header moved`).toEqual(header);
        await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
        if (size.width === 1024)
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `layout-${view}-${size.width}x${size.height}-${scheme}.png`) });
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
