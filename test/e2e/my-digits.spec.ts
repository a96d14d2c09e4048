/**
 * Flow (issue 17, "Digits of your own"), browser mode with the real worker: draw a digit, undo a
 * stray stroke, correct the label with one keypress and save it; the gallery shows each saved
 * digit under its label in alternating parts, one can be moved; the Runs table scores every run
 * on the score part, and so does the Test-set view; "Teach it my handwriting" fine-tunes the run
 * as a new run, whose before and after show in the Draw view and its details; the set leaves as
 * one download and comes back through the page's file picker.
 */
import { readFileSync } from 'node:fs';
import type { Download, FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSeven, stroke } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;

beforeAll(async () => {
  session = await openSession();
  await session.trainRun({
    hyperparams: { units: 32, budget: 150, batchSize: 64, validationInterval: 0, seed: 3 },
    trainLimit: 10_000,
    testLimit: 500,
    name: 'e2e my digits model',
  });
  await session.page.reload(); // the runs list is read at start-up
});

afterAll(async () => {
  await session?.close();
});

/** A "1": one stroke down the middle. */
const drawOne = (page: Page) =>
  stroke(page, [
    [0.5, 0.15],
    [0.52, 0.85],
  ]);

/** Waits for an answer, types `label` (one keypress) and saves; resolves once the gallery has `count` digits. */
async function saveAs(page: Page, label: number, count: number): Promise<void> {
  await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*\d\s*$/);
  await page.keyboard.press(String(label));
  await expectPage.toHaveText(page.getByTestId('save-digit-button'), new RegExp(`Save as my ${label}`));
  await page.getByTestId('save-digit-button').click();
  await expectPage.toHaveText(page.getByTestId('my-digits-counts'), new RegExp(`^\\s*${count} saved`));
}

describe('my digits', () => {
  it('saves a drawn digit with the label corrected by one keypress, after undoing a stray stroke', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    await expectPage.toBeVisible(page.getByTestId('my-digits-empty'));
    await drawSeven(page);
    await stroke(page, [
      [0.1, 0.9],
      [0.3, 0.95],
    ]);
    await page.getByTestId('draw-undo').click();
    await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*\d\s*$/);
    // The label starts as the model's answer; 3 then 7 shows a keypress moves it, and the last one counts.
    await page.keyboard.press('3');
    expect(await page.getByTestId('save-label-3').getAttribute('aria-checked')).toBe('true');
    await saveAs(page, 7, 1);
    await expectPage.toHaveText(page.getByTestId('save-digit-status'), /Saved as a 7, for scoring/);
    expect(await page.getByTestId('my-digits-row-7').getByTestId('my-digit').count()).toBe(1);
    // Saving clears the pad for the next digit.
    await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*–\s*$/);
  });

  it('keeps the parts alternating per label in the gallery, and moves a digit between them', async () => {
    const { page } = session;
    await drawSeven(page);
    await saveAs(page, 7, 2);
    await drawOne(page);
    await saveAs(page, 1, 3);
    await drawOne(page);
    await saveAs(page, 1, 4);
    await expectPage.toHaveText(page.getByTestId('my-digits-counts'), /4 saved · 2 to fine-tune · 2 to score/);
    const sevens = page.getByTestId('my-digits-row-7').getByTestId('my-digit');
    expect([await sevens.nth(0).getAttribute('data-part'), await sevens.nth(1).getAttribute('data-part')]).toEqual(['score', 'fine-tune']);
    await sevens.nth(1).getByTestId('my-digit-part').click();
    await expectPage.toHaveText(page.getByTestId('my-digits-counts'), /1 to fine-tune · 3 to score/);
    await sevens.nth(1).getByTestId('my-digit-part').click();
    await expectPage.toHaveText(page.getByTestId('my-digits-counts'), /2 to fine-tune · 2 to score/);
    await session.screenshot('my-digits');
  });

  it('scores the run on the score digits in the Runs table and the Test-set view', async () => {
    const { page } = session;
    await page.getByTestId('tab-runs').click();
    await expectPage.toHaveText(page.getByTestId('run-my-digits'), /\d+\.\d %\s*[0-2]\/2/);
    await page.getByTestId('tab-test').click();
    await expectPage.toHaveText(page.getByTestId('test-my-digits-accuracy'), /On your 2 score digits:\s*\d+\.\d %/);
  });

  it('fine-tunes the run on the fine-tune digits as a new run, and shows before and after', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    await page.getByTestId('fine-tune-iterations').fill('40');
    await page.getByTestId('fine-tune-start').click();
    await expectPage.toBeVisible(page.getByTestId('fine-tune-report'), 120_000);
    await expectPage.toHaveText(page.getByTestId('fine-tune-mine'), /Your score digits \(2\)\s*\d+\.\d %\s*\d+\.\d %/);
    await expectPage.toHaveText(page.getByTestId('fine-tune-mnist'), /MNIST test set \(500 images\)\s*\d+\.\d\d %\s*\d+\.\d\d %/);
    await expectPage.toHaveText(page.getByTestId('fine-tune-verdict'), /On your 2 score digits: .+; (MNIST kept|it forgot some MNIST)/);
    await session.screenshot('my-digits-fine-tuned');
    await page.getByTestId('tab-runs').click();
    await expectPage.toHaveText(page.getByTestId('run-parent-tag'), /fine-tuned from e2e my digits model/);
    await page
      .locator('[data-testid="run-row"]', { has: page.getByTestId('run-parent-tag') })
      .getByTestId('run-open')
      .click();
    await expectPage.toBeVisible(page.getByTestId('run-detail').getByTestId('fine-tune-report'));
  });

  it('exports the set as one download and imports it back through the file picker', async () => {
    const { page } = session;
    await page.getByTestId('tab-draw').click();
    const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.getByTestId('my-digits-export').click()]);
    expect(download.suggestedFilename()).toBe('my-digits.json');
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { digits: { label: number; strokes: unknown[] }[] };
    expect(exported.digits.map((d) => d.label)).toEqual([7, 7, 1, 1]);
    expect(exported.digits.every((d) => d.strokes.length > 0)).toBe(true);
    await page.getByTestId('my-digits-row-1').getByTestId('my-digit-delete').first().click();
    await expectPage.toHaveText(page.getByTestId('my-digits-counts'), /^\s*3 saved/);
    const [chooser]: [FileChooser, void] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByTestId('my-digits-import').click(),
    ]);
    await chooser.setFiles(file);
    await expectPage.toHaveText(page.getByTestId('my-digits-counts'), /^\s*4 saved/);
    await expectPage.toHaveText(page.getByTestId('notice').filter({ hasText: 'Digits imported' }), /1 added, 3 already here/);
  });
});
