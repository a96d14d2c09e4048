/** Flow: draw a digit with mouse strokes, see the 28×28 preview, a prediction and ten probability bars. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSeven } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;

beforeAll(async () => {
  session = await openSession();
  // A model to draw against, trained through the service to keep the flow about drawing.
  await session.trainRun({
    hyperparams: { units: 32, budget: 150, batchSize: 64, validationInterval: 0, seed: 3 },
    trainLimit: 10_000,
    testLimit: 500,
    name: 'e2e draw model',
  });
  await session.page.reload(); // the runs list is read at start-up
});

afterAll(async () => {
  await session?.close();
});

describe('drawing pad', () => {
  it('predicts a drawn digit and shows the probabilities', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    await expectPage.toBeVisible(page.getByTestId('draw-canvas'));
    await drawSeven(page);
    await expectPage.toBeVisible(page.getByTestId('draw-preview'));
    await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*\d\s*$/);
    for (let digit = 0; digit < 10; digit++) await expectPage.toBeVisible(page.getByTestId(`prob-bar-${digit}`));
    await expectPage.toBeVisible(page.getByTestId('row-strip'));
    await session.screenshot('draw');
  });

  it('suggests the "Robust for drawing" preset for a briefly trained model, and fills the form with it', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    await expectPage.toHaveText(page.getByTestId('drawing-hint'), /trained for 150 iterations/);
    await page.getByTestId('drawing-hint').getByRole('button').click();
    await expectPage.toBeVisible(page.getByTestId('hp-budget'));
    expect(await page.getByTestId('hp-budgetUnit').inputValue()).toBe('epochs');
    expect(await page.getByTestId('hp-budget').inputValue()).toBe('10');
    expect(await page.getByTestId('preset-drawing').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('tab-draw').click();
  });

  it('clears the pad', async () => {
    const { page } = session;
    await page.getByTestId('draw-clear').click();
    await expectPage.until(
      async () =>
        !/^\s*\d\s*$/.test(
          (await page
            .getByTestId('predicted-digit')
            .textContent()
            .catch(() => '')) ?? '',
        ),
      'the prediction to clear',
      10_000,
    );
    expect(await page.getByTestId('draw-canvas').isVisible()).toBe(true);
  });
});
