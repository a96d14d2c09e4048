/**
 * Flow: draw a digit with mouse strokes, see the 28×28 preview, a prediction and ten probability
 * bars; undo a stroke and clear the pad.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSeven, stroke } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;

/** What the Draw view shows: the 28×28 preview's grey levels and the ten bars' probabilities. */
interface DrawnState {
  preview: number[];
  probabilities: number[];
}

async function readDrawn(page: Page): Promise<DrawnState> {
  const preview = await page.getByTestId('draw-preview').evaluate((canvas) => {
    const data = (canvas as HTMLCanvasElement).getContext('2d')?.getImageData(0, 0, 28, 28).data ?? new Uint8ClampedArray();
    return Array.from({ length: 784 }, (_, i) => data[i * 4]);
  });
  const probabilities: number[] = [];
  for (let digit = 0; digit < 10; digit++)
    probabilities.push(Number(await page.getByTestId(`prob-bar-${digit}`).getAttribute('data-value')));
  return { preview, probabilities };
}

/** The largest difference between two equally long lists of numbers. */
function maxDifference(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

/** The Draw view once it has caught up with the pad: the same for 300 ms, and not `previous`. */
async function settledDrawn(page: Page, previous: DrawnState | null): Promise<DrawnState> {
  let state = await readDrawn(page);
  await expectPage.until(
    async () => {
      const before = JSON.stringify(state);
      await new Promise((resolve) => setTimeout(resolve, 300));
      state = await readDrawn(page);
      return JSON.stringify(state) === before && before !== JSON.stringify(previous);
    },
    'the preview and the prediction to settle on a new drawing',
    30_000,
  );
  return state;
}

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

  it('undoes the last stroke: the preview and the prediction go back to the first stroke’s', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    await page.getByTestId('draw-clear').click();
    expect(await page.getByTestId('draw-undo').isDisabled()).toBe(true);
    // The 7's diagonal, then its bar.
    await stroke(page, [
      [0.75, 0.2],
      [0.55, 0.5],
      [0.42, 0.82],
    ]);
    const one = await settledDrawn(page, null);
    expect(one.preview.some((v) => v > 0)).toBe(true);
    expect(await page.getByTestId('draw-undo').isEnabled()).toBe(true);
    await stroke(page, [
      [0.25, 0.2],
      [0.75, 0.2],
    ]);
    const two = await settledDrawn(page, one);
    expect(two.preview).not.toEqual(one.preview);
    expect(two.probabilities).not.toEqual(one.probabilities);

    await page.getByTestId('draw-undo').click();
    const undone = await settledDrawn(page, two);
    // The bar is repainted away, segment for segment as it was drawn: the same ink, the same answer.
    expect(maxDifference(two.preview, one.preview)).toBeGreaterThan(100);
    expect(undone.preview).toEqual(one.preview);
    expect(undone.probabilities).toEqual(one.probabilities);

    // Backspace on the pad undoes too; with nothing left the prediction clears and Undo is disabled.
    await page.getByTestId('draw-canvas').focus();
    await page.keyboard.press('Backspace');
    await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*–\s*$/, 10_000);
    expect(await page.getByTestId('draw-undo').isDisabled()).toBe(true);
  });

  it('clears the pad', async () => {
    const { page } = session;
    await drawSeven(page);
    await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*\d\s*$/);
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
