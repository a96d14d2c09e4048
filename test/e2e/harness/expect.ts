/**
 * Small polling assertions for playwright-core locators (playwright-core has no `expect`;
 * @playwright/test is not a dependency). Each retries until it holds or the timeout passes,
 * and fails naming what it waited for and what it last saw.
 */
import type { Locator } from 'playwright-core';

const DEFAULT_TIMEOUT_MS = 60_000;

async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  last: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last() ? `; last saw ${last()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polling expectations over locators. */
export const expect = {
  until,

  async toBeVisible(locator: Locator, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  },

  async toHaveText(locator: Locator, pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    let seen = '';
    await until(
      async () => {
        seen = (await locator.first().textContent({ timeout: 1000 })) ?? '';
        return pattern.test(seen);
      },
      `${locator} to match ${pattern}`,
      timeoutMs,
      () => JSON.stringify(seen),
    );
  },

  async toHaveCount(locator: Locator, atLeast: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    let count = 0;
    await until(
      async () => (count = await locator.count()) >= atLeast,
      `${locator} to have ≥ ${atLeast} elements`,
      timeoutMs,
      () => String(count),
    );
  },
};
