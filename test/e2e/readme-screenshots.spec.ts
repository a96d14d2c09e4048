/**
 * The README's screenshots, of the real app over the e2e harness with a properly trained run.
 * Not part of the normal flows (it needs a trained classic run and a minute): run it with
 *   LSTM_STUDIO_HOME=/tmp/readme npm run train -- --iterations 800 --seed 1 --name "Classic tutorial"
 *   README_SCREENSHOTS_HOME=/tmp/readme npx vitest run -c vitest.e2e.config.ts test/e2e/readme-screenshots.spec.ts
 * and the pictures land in docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { StudioService } from '../../main/service';
import { dataPaths } from '../../main/paths';
import { E2E_RENDERER_DIR } from './global-setup';
import { installBridgeShim } from './harness/bridge-shim';
import { expect as expectPage } from './harness/expect';
import { fillHyperparams } from './harness/form';
import { TOKEN_HEADER, startHarness } from './harness/server';
import { CHROMIUM_PATH } from './harness/session';

const home = process.env.README_SCREENSHOTS_HOME;
const OUT = path.resolve('docs', 'screenshots');

async function stroke(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.getByTestId('draw-canvas').boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 10 });
  await page.mouse.up();
}

describe.skipIf(!home)('README screenshots (set README_SCREENSHOTS_HOME to a data folder with a trained run)', () => {
  it('captures every view', async () => {
    mkdirSync(OUT, { recursive: true });
    const service = new StudioService(dataPaths(home!));
    const harness = await startHarness(service, E2E_RENDERER_DIR);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(installBridgeShim, { token: harness.token, tokenHeader: TOKEN_HEADER });
      await page.goto(harness.url);
      const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

      await page.getByTestId('tab-draw').click();
      await stroke(page, [[0.3, 0.22], [0.72, 0.22]]);
      await stroke(page, [[0.72, 0.22], [0.58, 0.5], [0.46, 0.8]]);
      await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*7\s*$/);
      await shot('draw');

      await page.getByTestId('tab-test').click();
      await expectPage.toBeVisible(page.getByTestId('confusion-matrix'));
      await shot('test-set');

      await page.getByTestId('tab-train').click();
      await fillHyperparams(page, { units: '64', budgetUnit: 'iterations', budget: '300', batchSize: '64', validationInterval: '50', seed: '2', name: 'Smaller LSTM' });
      await page.getByTestId('start-button').click();
      await expectPage.toHaveText(page.getByTestId('final-accuracy'), /%/, 300_000);
      await page.evaluate(() => document.querySelector('.form-column')?.scrollTo(0, 0));
      await shot('train');

      await page.getByTestId('tab-runs').click();
      await expectPage.toBeVisible(page.getByTestId('runs-table'));
      for (const box of await page.getByTestId('run-compare-checkbox').all()) await box.check();
      await expectPage.toBeVisible(page.getByTestId('compare-chart'));
      await shot('runs');
    } finally {
      await browser.close();
      await harness.close();
      await service.dispose();
    }
  });
});
