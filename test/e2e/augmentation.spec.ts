/**
 * Flow: the Train form's augmentation settings and the "what training sees" strip below them:
 * absent at the defaults, four digits with three random versions each once a rotation is set,
 * other versions on "New examples", gone again for an out-of-range value or at 0; and its
 * layout in both colour schemes at the smallest and a large window.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './harness/expect';
import { fillHyperparams } from './harness/form';
import { cardOverflowProblems, sidewaysScrollProblems, windowScrollProblems } from './harness/layout';
import { openSession, openStudioPage, SCREENSHOT_DIR } from './harness/session';
import type { Session } from './harness/session';
import path from 'node:path';

let session: Session;

beforeAll(async () => {
  session = await openSession();
});

afterAll(async () => {
  await session?.close();
});

/** Waits until the strip is gone (the expect harness only waits for "at least"). */
async function expectNoStrip(page: Page): Promise<void> {
  await expectPage.until(async () => (await page.getByTestId('augmentation-strip').count()) === 0, 'the augmentation strip to go');
}

/** The first augmented picture, as the canvas holds it. */
function firstExample(page: Page): Promise<string> {
  return page
    .getByTestId('augmentation-example')
    .first()
    .evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL());
}

describe('what training sees', () => {
  it('is absent while augmentation is off', async () => {
    const { page } = session;
    await page.getByTestId('tab-train').click();
    await expectPage.toBeVisible(page.getByTestId('hp-rotation'));
    expect(await page.getByTestId('hp-rotation').inputValue()).toBe('0');
    expect(await page.getByTestId('augmentation-strip').count()).toBe(0);
  });

  it('shows four digits, each as stored and three ways turned, once a rotation is set', async () => {
    const { page } = session;
    await fillHyperparams(page, { rotation: '20' });
    await expectPage.toBeVisible(page.getByTestId('augmentation-strip'));
    expect(await page.getByTestId('augmentation-original').count()).toBe(4);
    expect(await page.getByTestId('augmentation-example').count()).toBe(12);
    const [original, example] = await Promise.all([
      page
        .getByTestId('augmentation-original')
        .first()
        .evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL()),
      firstExample(page),
    ]);
    expect(example).not.toBe(original);
    await page.getByTestId('augmentation-strip').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'train-augmentation.png') });
  });

  it('draws other versions on "New examples"', async () => {
    const { page } = session;
    const before = await firstExample(page);
    await page.getByTestId('augmentation-redraw').click();
    await expectPage.until(async () => (await firstExample(page)) !== before, 'another first version');
    expect(await page.getByTestId('augmentation-example').count()).toBe(12);
  });

  it('goes for a value out of range, which the form explains, and at 0', async () => {
    const { page } = session;
    await fillHyperparams(page, { rotation: '60' });
    await expectPage.toHaveText(page.getByTestId('hp-rotation-error'), /at most 45/);
    await expectNoStrip(page);
    await fillHyperparams(page, { rotation: '0', elastic: '2' });
    await expectPage.toBeVisible(page.getByTestId('augmentation-strip'));
    await fillHyperparams(page, { elastic: '0' });
    await expectNoStrip(page);
  });
});

describe.each([
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
])('the strip at $width×$height', (size) => {
  it.each(['light', 'dark'] as const)('%s: stays in its card and scrolls nothing sideways', async (scheme) => {
    const page = await openStudioPage(session.browser, session.server.launchUrl, size);
    try {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId('tab-train').click();
      await fillHyperparams(page, { rotation: '15', shear: '10', aspect: '0.2', thickness: '1', elastic: '2' });
      await expectPage.toBeVisible(page.getByTestId('augmentation-strip'));
      await page.getByTestId('augmentation-strip').scrollIntoViewIfNeeded();
      const problems = [
        ...(await windowScrollProblems(page)),
        ...(await cardOverflowProblems(page)),
        ...(await sidewaysScrollProblems(page)),
      ];
      expect(problems).toEqual([]);
      // Both digits of a line side by side wherever the form column is its usual width.
      const tops = await page.getByTestId('augmentation-original').evaluateAll((all) => all.map((el) => el.getBoundingClientRect().top));
      expect(new Set(tops).size).toBe(2);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `train-augmentation-${size.width}x${size.height}-${scheme}.png`) });
    } finally {
      await page.close();
    }
  });
});
