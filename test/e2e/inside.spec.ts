/**
 * Flow: Inside the network. The empty pad explains itself; a drawn digit gets heatmaps of every
 * gate and state, a saliency map and row-influence bars, computed by the real predictor worker;
 * pointing at a row highlights it everywhere and reads the answer after it; a 2-layer run's
 * layers can be switched; the Test-set view opens the same panel for a misclassified digit.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSeven } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { cardOverflowProblems, sidewaysScrollProblems, windowScrollProblems } from './harness/layout';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;

beforeAll(async () => {
  session = await openSession();
  // Two stacked layers, so the layer picker shows; small, as the flow is about the view, not accuracy.
  await session.trainRun({
    hyperparams: { units: 16, layers: 2, budget: 120, batchSize: 64, validationInterval: 0, seed: 7 },
    trainLimit: 5_000,
    testLimit: 300,
    name: 'e2e inside model',
  });
  await session.page.reload(); // the runs list is read at start-up
});

afterAll(async () => {
  await session?.close();
});

/** How many distinct colours each canvas matching `selector` (inside `scope`) holds. */
function distinctColours(page: Page, scope: string, selector: string): Promise<number[]> {
  return page.evaluate(
    ([scopeSelector, canvasSelector]) => {
      const root = document.querySelector(scopeSelector);
      return [...(root?.querySelectorAll<HTMLCanvasElement>(canvasSelector) ?? [])].map((canvas) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set<number>();
        for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return colours.size;
      });
    },
    [scope, selector] as const,
  );
}

/** Waits until the panel in `scope` shows its pictures, and checks that none of them is blank. */
async function expectPictures(page: Page, scope: string): Promise<void> {
  // An LSTM: input, forget and output gates, c and h.
  await expectPage.toHaveCount(page.locator(`${scope} [data-testid="inside-heatmap"]`), 5);
  const heatmaps = await distinctColours(page, scope, '[data-testid="inside-heatmap-canvas"]');
  expect(heatmaps).toHaveLength(5);
  for (const count of heatmaps) expect(count).toBeGreaterThan(1);
  const [saliency] = await distinctColours(page, scope, '[data-testid="inside-saliency"]');
  expect(saliency).toBeGreaterThan(2); // black, and both greens or violets of a real map
  const [input] = await distinctColours(page, scope, '[data-testid="inside-input"]');
  expect(input).toBeGreaterThan(2);
  expect(await page.locator(`${scope} [data-testid="inside-influence-bar"]`).count()).toBe(28);
  const series = await page
    .locator(`${scope} [data-testid="inside-heatmap"]`)
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-series')));
  expect(series).toEqual(['input', 'forget', 'output', 'cell', 'hidden']);
}

/** Points at row `row` (0-based) of the panel's input image. */
async function hoverRow(page: Page, scope: string, row: number): Promise<void> {
  const input = page.locator(`${scope} [data-testid="inside-input"]`);
  await input.scrollIntoViewIfNeeded();
  const box = await input.boundingBox();
  if (!box) throw new Error('the inside view has no input image');
  await page.mouse.move(box.x + box.width / 2, box.y + ((row + 0.5) / 28) * box.height);
}

describe('inside the network', () => {
  it('explains the empty pad instead of showing blank pictures', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    await expectPage.toHaveText(page.getByTestId('inside-empty'), /Draw a digit to see inside the network/);
    expect(await page.getByTestId('inside-heatmap').count()).toBe(0);
  });

  it('shows every gate and state, the saliency map and row influence for a drawn digit', async () => {
    const { page } = session;
    await drawSeven(page);
    await expectPictures(page, '[data-testid="inside-card"]');
    await expectPage.toHaveText(page.getByTestId('inside-cell-note'), /LSTM, 16 units, layer 2 of 2\.\s+An LSTM: three gates/);
    await expectPage.toHaveText(page.getByTestId('inside-order'), /earliest on the left/);
    await expectPage.toHaveText(page.getByTestId('inside-readout'), /^After all 28 rows: \d \(\d+\.\d %\)$/);
  });

  it('highlights the row under the pointer in every picture and reads the answer after it', async () => {
    const { page } = session;
    await hoverRow(page, '[data-testid="inside-card"]', 13);
    await expectPage.toHaveText(page.getByTestId('inside-readout'), /^After row 14 of 28: \d \(\d+\.\d %\)$/);
    // The input, the saliency map, the influence bars and the five heatmaps.
    expect(await page.locator('[data-testid="inside-card"] .band').count()).toBe(8);
    expect(await page.getByTestId('inside-influence').getAttribute('aria-valuenow')).toBe('14');
    await session.screenshot('inside-draw');
    await page.mouse.move(5, 5);
    await expectPage.toHaveText(page.getByTestId('inside-readout'), /^After all 28 rows/);
  });

  it('steps through the rows with the keyboard', async () => {
    const { page } = session;
    await page.getByTestId('inside-influence').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await expectPage.toHaveText(page.getByTestId('inside-readout'), /^After row 2 of 28/);
  });

  it('fits the smallest window: the pictures wrap, nothing sticks out or scrolls sideways', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      await page.getByTestId('inside-card').scrollIntoViewIfNeeded();
      const problems = [
        ...(await windowScrollProblems(page)),
        ...(await cardOverflowProblems(page)),
        ...(await sidewaysScrollProblems(page)),
      ];
      expect(problems).toEqual([]);
      await page.getByTestId('inside-card').screenshot({ path: 'test-results/screenshots/inside-draw-1024.png' });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('switches to the bottom layer of a 2-layer run', async () => {
    const { page } = session;
    expect(await page.getByTestId('inside-layer-1').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('inside-layer-0').click();
    await expectPage.toHaveText(page.getByTestId('inside-cell-note'), /layer 1 of 2/);
    expect(await page.getByTestId('inside-layer-0').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('inside-layer-1').getAttribute('aria-pressed')).toBe('false');
    await expectPictures(page, '[data-testid="inside-card"]');
  });

  it('goes back to the explained empty state when the pad is cleared', async () => {
    const { page } = session;
    await page.getByTestId('draw-clear').click();
    await expectPage.toHaveText(page.getByTestId('inside-empty'), /Draw a digit/);
  });

  it('hides and shows the panel', async () => {
    const { page } = session;
    await page.getByTestId('inside-toggle').click();
    expect(await page.getByTestId('inside-panel').count()).toBe(0);
    expect(await page.getByTestId('inside-toggle').getAttribute('aria-expanded')).toBe('false');
    await page.getByTestId('inside-toggle').click();
    await expectPage.toBeVisible(page.getByTestId('inside-panel'));
  });

  it('opens the same panel for a misclassified test digit, and steps to the next', async () => {
    const { page } = session;
    await page.getByTestId('tab-test').click();
    await expectPage.toHaveCount(page.getByTestId('misclassified-item'), 2);
    await page.getByTestId('misclassified-item').first().getByRole('button').click();
    await expectPage.toBeVisible(page.getByTestId('inside-dialog'));
    await expectPage.toHaveText(page.getByTestId('inside-dialog').locator('h2'), /Inside the network: test image \d+, a \d read as \d/);
    await expectPictures(page, '[data-testid="inside-dialog"]');
    await hoverRow(page, '[data-testid="inside-dialog"]', 20);
    await expectPage.toHaveText(page.getByTestId('inside-readout'), /^After row 21 of 28: \d/);
    await session.screenshot('inside-test');
    const title = await page.getByTestId('inside-dialog').locator('h2').textContent();
    await page.getByTestId('inside-next').click();
    await expectPage.until(
      async () => (await page.getByTestId('inside-dialog').locator('h2').textContent()) !== title,
      'the next digit',
      10_000,
    );
    await page.keyboard.press('Escape');
    await expectPage.until(async () => (await page.getByTestId('inside-dialog').count()) === 0, 'the dialog to close', 10_000);
  });
});
