/** Flow: the trainer crashes mid-run; the app says so, offers the interrupted run, and resumes it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as expectPage } from './harness/expect';
import { QUICK_RUN, fillHyperparams, progressValue } from './harness/form';
import { openSession } from './harness/session';
import type { Session } from './harness/session';

let session: Session;

beforeAll(async () => {
  session = await openSession();
});

afterAll(async () => {
  await session?.close();
});

describe('resuming an interrupted run', () => {
  it('survives a worker crash and continues the run from its checkpoint', async () => {
    const { page, service } = session;
    await page.getByTestId('tab-train').click();
    // Checkpoints come every 200 iterations by default: crash once the first one is on disk.
    await fillHyperparams(page, { ...QUICK_RUN, budget: '400', validationInterval: '0', name: 'e2e resumed run' });
    await page.getByTestId('start-button').click();
    await expectPage.until(async () => (await progressValue(page)) >= 220, 'training past the first checkpoint', 120_000);
    service.host.crashForTest();

    // The Train view shows the failure in place (an alert would say it again).
    await expectPage.toHaveText(page.getByTestId('failed-result'), /crash/i);
    await expectPage.toBeVisible(page.getByTestId('resume-banner'), 60_000);
    await expectPage.toHaveText(page.getByTestId('resumable-run'), /e2e resumed run.*iteration 200 of 400/s);
    await session.screenshot('train-interrupted');

    await page.getByTestId('resume-button').click();
    await expectPage.toHaveText(page.getByTestId('final-accuracy'), /\d+(\.\d+)?\s*%/, 120_000);
    expect(await progressValue(page)).toBe(400);
    await expectPage.until(
      async () => (await page.getByTestId('resume-banner').count()) === 0,
      'the finished run to leave the interrupted list',
    );
    const [saved] = await service.listRuns();
    expect(saved).toMatchObject({ name: 'e2e resumed run', iterations: 400, stopped: false });
  });
});
