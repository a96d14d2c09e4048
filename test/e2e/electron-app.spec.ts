/**
 * The real Electron app, launched by Playwright's `_electron`: window, sandboxed preload,
 * IPC validation, a short training run, navigation and popup refusal. Needs the Electron
 * binary, which offline machines do not have (ELECTRON_SKIP_BINARY_DOWNLOAD): there every
 * test reports itself skipped with the reason. CI runs it: .github/workflows/electron-e2e.yml.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron } from 'playwright-core';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunFinishedEvent, StudioStatus } from '../../common/api';
// @ts-expect-error: a plain .mjs script without type declarations
import { findElectron as findElectronRuntime } from '../../scripts/electron-runtime.mjs';
import { SCREENSHOT_DIR } from './harness/session';

/** The Electron executable, or why there is none (without requiring electron, which would try to download it). */
const findElectron = findElectronRuntime as () => { path: string } | { path: null; reason: string };

const electron = findElectron();
const SKIP_REASON =
  electron.path === null ? `${electron.reason}; run on a machine with internet (see .github/workflows/electron-e2e.yml)` : '';
if (!electron.path) console.warn(`electron-app.spec.ts SKIPPED: ${SKIP_REASON}`);

let app: ElectronApplication | null = null;
let page: Page;
let dataRoot = '';

beforeAll(async () => {
  if (!electron.path) return;
  if (!existsSync(path.resolve('out', 'renderer', 'index.html'))) throw new Error('out/renderer is not built: run `npm run build` first');
  dataRoot = mkdtempSync(path.join(tmpdir(), 'lstm-studio-electron-'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LSTM_STUDIO_HOME: dataRoot };
  delete env.ELECTRON_RUN_AS_NODE;
  app = await _electron.launch({ executablePath: electron.path, args: [path.resolve('.')], env });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

afterAll(async () => {
  await app?.close();
  if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
});

describe('the Electron app', () => {
  it('opens one sandboxed window titled LSTM Studio with the renderer from file://', async (ctx) => {
    if (!app) return ctx.skip(SKIP_REASON);
    expect(await page.title()).toBe('LSTM Studio');
    expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html$/);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    const globals = await page.evaluate(() => ({
      hasBridge: typeof window.lstm === 'object',
      bridgeKeys: Object.keys(window.lstm ?? {}).sort(),
      hasRequire: 'require' in window,
      hasProcess: 'process' in window,
    }));
    expect(globals).toMatchObject({ hasBridge: true, hasRequire: false, hasProcess: false });
    expect(globals.bridgeKeys).toContain('onEvent');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'electron-app.png') });
  });

  it('has the application menu, whose commands reach the renderer through the preload', async (ctx) => {
    if (!app) return ctx.skip(SKIP_REASON);
    const menu = await app.evaluate(({ Menu }) => {
      const appMenu = Menu.getApplicationMenu();
      return {
        labels: appMenu?.items.map((item) => item.label.replace('&', '')) ?? [],
        startAccelerator: appMenu?.getMenuItemById('start-training')?.accelerator ?? null,
        // Electron may report a role in lower case.
        hasDevTools: JSON.stringify(appMenu?.items.map((item) => item.submenu?.items.map((sub) => sub.role)))
          .toLowerCase()
          .includes('toggledevtools'),
      };
    });
    expect(menu.labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']));
    expect(menu.startAccelerator).toBe('CmdOrCtrl+Enter');
    expect(menu.hasDevTools).toBe(true); // launched from the repository, not packaged
    // View ▸ Draw, as a click would: main sends the command, the renderer switches view.
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('show-draw')?.click());
    await page.waitForSelector('[data-testid="tab-draw"][aria-selected="true"]', { timeout: 10_000 });
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('show-train')?.click());
    await page.waitForSelector('[data-testid="tab-train"][aria-selected="true"]', { timeout: 10_000 });
  });

  it('answers over IPC and rejects invalid payloads with a readable message', async (ctx) => {
    if (!app) return ctx.skip(SKIP_REASON);
    const status = await page.evaluate(() => window.lstm?.getStatus() as Promise<StudioStatus>);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(status.backend);
    const message = await page.evaluate(() =>
      window.lstm?.startTraining({ hyperparams: { units: 0 } }).then(
        () => 'resolved',
        (err: Error) => err.message,
      ),
    );
    expect(message).toContain('hyperparams.units');
  });

  it('trains a tiny run end to end through the preload', async (ctx) => {
    if (!app) return ctx.skip(SKIP_REASON);
    const done = await page.evaluate(
      () =>
        new Promise<RunFinishedEvent>((resolve, reject) => {
          const off = window.lstm?.onEvent((event) => {
            if (event.type === 'done') resolve(event);
            if (event.type === 'error') reject(new Error(event.message));
            if (event.type === 'done' || event.type === 'error') off?.();
          });
          const hyperparams = { units: 16, budget: 30, batchSize: 32, validationInterval: 10 };
          window.lstm?.startTraining({ hyperparams, trainLimit: 2000, testLimit: 500 }).catch(reject);
        }),
    );
    expect(done).toMatchObject({ stopped: false, iterations: 30 });
    expect(done.test.count).toBe(500);
  });

  it('refuses popups and navigation away from the renderer', async (ctx) => {
    if (!app) return ctx.skip(SKIP_REASON);
    const before = page.url();
    expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true);
    await page.evaluate(() => void (window.location.href = 'https://example.com/'));
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
