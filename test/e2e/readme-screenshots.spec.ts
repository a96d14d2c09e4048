/**
 * The README's screenshots, of the real renderer in browser mode with a properly trained run.
 * Not part of the normal flows (it needs a trained classic run and a minute): run it with
 *   LSTM_STUDIO_HOME=/tmp/readme npm run train -- --iterations 800 --seed 1 --name "Classic tutorial"
 *   README_SCREENSHOTS_HOME=/tmp/readme npx vitest run -c vitest.e2e.config.ts test/e2e/readme-screenshots.spec.ts
 * and the pictures land in docs/screenshots/ (the sweep's: sweeps.png and sweeps-pictures.png,
 * from a real 8-trial sweep planned in the form, a few minutes on 2 cores). Add `-t inside` for
 * the Inside-the-network picture alone (inside.png, seconds), `-t "my digits"` for the personal
 * set's card (my-digits.png: a dozen digits drawn and saved into that data folder's set).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { StudioService } from '../../main/service/service';
import { dataPaths } from '../../main/service/paths';
import { E2E_RENDERER_DIR } from './global-setup';
import { stroke } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { fillHyperparams } from './harness/form';
import { planSweep, sweepFinished } from './harness/sweep';
import { E2E_BRIDGE_SCRIPT, launchChromium, openStudioPage } from './harness/session';
import { startWebServer } from '../../main/web/server';

const home = process.env.README_SCREENSHOTS_HOME;
/** The whole flow trains a run and an 8-trial sweep: minutes, not the flows' usual three. */
const TIMEOUT_MS = 1_200_000;

/** Scrolls the view's right-hand column so that `selector`'s element sits at its top. */
async function scrollRunColumnTo(page: Page, selector: string): Promise<void> {
  await page.evaluate((target) => {
    const column = document.querySelector('.run-column');
    const element = document.querySelector(target);
    if (!column || !element) throw new Error(`no .run-column or ${target} to scroll to`);
    column.scrollTo(0, column.scrollTop + element.getBoundingClientRect().top - column.getBoundingClientRect().top - 4);
  }, selector);
}
const OUT = path.resolve('docs', 'screenshots');

/** The README's "7": the top bar, then the diagonal. */
async function drawReadmeSeven(page: Page): Promise<void> {
  await page.getByTestId('tab-draw').click();
  await stroke(
    page,
    [
      [0.3, 0.22],
      [0.72, 0.22],
    ],
    10,
  );
  await stroke(
    page,
    [
      [0.72, 0.22],
      [0.58, 0.5],
      [0.46, 0.8],
    ],
    10,
  );
  await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*7\s*$/);
}

/** Digits for the My-digits picture, as pad strokes (fractions of the pad): each is drawn twice, so each label has both parts. */
const MY_DIGITS: { label: number; strokes: [number, number][][] }[] = [
  {
    label: 1,
    strokes: [
      [
        [0.44, 0.25],
        [0.55, 0.15],
        [0.55, 0.85],
      ],
    ],
  },
  {
    label: 4,
    strokes: [
      [
        [0.55, 0.15],
        [0.3, 0.6],
        [0.75, 0.6],
      ],
      [
        [0.62, 0.4],
        [0.62, 0.88],
      ],
    ],
  },
  {
    label: 9,
    strokes: [
      [
        [0.66, 0.3],
        [0.5, 0.18],
        [0.36, 0.3],
        [0.4, 0.45],
        [0.6, 0.45],
        [0.66, 0.3],
        [0.64, 0.6],
        [0.58, 0.86],
      ],
    ],
  },
  {
    label: 0,
    strokes: [
      [
        [0.5, 0.15],
        [0.32, 0.3],
        [0.3, 0.6],
        [0.5, 0.85],
        [0.68, 0.6],
        [0.68, 0.3],
        [0.5, 0.15],
      ],
    ],
  },
  {
    label: 2,
    strokes: [
      [
        [0.32, 0.3],
        [0.5, 0.15],
        [0.68, 0.3],
        [0.6, 0.5],
        [0.32, 0.82],
        [0.72, 0.82],
      ],
    ],
  },
  {
    label: 6,
    strokes: [
      [
        [0.62, 0.15],
        [0.4, 0.4],
        [0.34, 0.68],
        [0.5, 0.85],
        [0.66, 0.68],
        [0.56, 0.52],
        [0.38, 0.62],
      ],
    ],
  },
];

/** Runs `capture` on a studio page over the screenshot data folder: the service, server and browser set up and closed around it. */
async function onStudioPage(capture: (page: Page) => Promise<void>): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const service = new StudioService(dataPaths(home!));
  const server = await startWebServer(service, { rendererDir: E2E_RENDERER_DIR, bridgeScript: E2E_BRIDGE_SCRIPT });
  const browser = await launchChromium();
  try {
    await capture(await openStudioPage(browser, server.launchUrl));
  } finally {
    await browser.close();
    await server.close();
    await service.dispose();
  }
}

describe.skipIf(!home)('README screenshots (set README_SCREENSHOTS_HOME to a data folder with a trained run)', () => {
  it(
    'captures every view',
    async () => {
      await onStudioPage(async (page) => {
        const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

        await drawReadmeSeven(page);
        await shot('draw');

        await page.getByTestId('tab-test').click();
        await expectPage.toBeVisible(page.getByTestId('confusion-matrix'));
        await shot('test-set');

        await page.getByTestId('tab-train').click();
        await fillHyperparams(page, {
          units: '64',
          budgetUnit: 'iterations',
          budget: '300',
          batchSize: '64',
          validationInterval: '50',
          seed: '2',
          name: 'Smaller LSTM',
        });
        await page.getByTestId('start-button').click();
        await expectPage.toHaveText(page.getByTestId('final-accuracy'), /%/, 300_000);
        await page.evaluate(() => document.querySelector('.form-column')?.scrollTo(0, 0));
        await shot('train');

        await page.getByTestId('tab-runs').click();
        await expectPage.toBeVisible(page.getByTestId('runs-table'));
        for (const box of await page.getByTestId('run-compare-checkbox').all()) await box.check();
        await expectPage.toBeVisible(page.getByTestId('compare-chart'));
        await shot('runs');

        // A real sweep, planned in the form: units × learning rate, two seeds each, early stopping on.
        await page.getByTestId('tab-sweeps').click();
        await planSweep(page, {
          name: 'Units and learning rate',
          lists: { units: '32, 64', learningRate: '0.001, 0.003' },
          seeds: '2',
          batchSize: '64',
          budget: '300',
          validationInterval: '50',
          earlyStopping: { reductionFactor: '3', rungs: '1' },
        });
        await page.getByTestId('sweep-start').click();
        await expectPage.until(() => sweepFinished(page), 'the sweep to finish', 900_000);
        await page.getByTestId('sort-bestValidation').click();
        await page.evaluate(() => document.querySelector('.form-column')?.scrollTo(0, 0));
        await scrollRunColumnTo(page, '[data-testid="sweep-results"]');
        await shot('sweeps');
        await scrollRunColumnTo(page, '[data-testid="sweep-pictures"]');
        await shot('sweeps-pictures');
      });
    },
    TIMEOUT_MS,
  );

  it('captures inside the network', async () => {
    await onStudioPage(async (page) => {
      // A few times to warm the worker up (its first inspections are slower), then the picture's.
      for (let i = 0; i < 4; i++) {
        await drawReadmeSeven(page);
        await page.getByTestId('draw-clear').click();
      }
      await drawReadmeSeven(page);
      const card = page.getByTestId('inside-card');
      await expectPage.toHaveCount(card.getByTestId('inside-heatmap'), 5);
      // Point at row 12, where the 7's diagonal is under way.
      const input = card.getByTestId('inside-input');
      await input.scrollIntoViewIfNeeded();
      const box = (await input.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + (11.5 / 28) * box.height);
      await expectPage.toHaveText(card.getByTestId('inside-readout'), /^After row 12 of 28/);
      await card.screenshot({ path: path.join(OUT, 'inside.png') });
    });
  });

  it('captures my digits', async () => {
    await onStudioPage(async (page) => {
      await page.getByTestId('tab-draw').click();
      for (const digit of [...MY_DIGITS, ...MY_DIGITS]) {
        for (const points of digit.strokes) await stroke(page, points, 10);
        await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*\d\s*$/);
        await page.keyboard.press(String(digit.label));
        await expectPage.toHaveText(page.getByTestId('save-digit-button'), new RegExp(`Save as my ${digit.label}`));
        await page.getByTestId('save-digit-button').click();
        await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*–\s*$/);
      }
      const card = page.getByTestId('my-digits');
      await expectPage.toHaveText(card.getByTestId('my-digits-counts'), /12 saved/);
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(OUT, 'my-digits.png') });
    });
  });
});
