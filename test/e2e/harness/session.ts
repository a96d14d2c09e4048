/**
 * One e2e session: a real StudioService on a throwaway runs folder, the harness server in
 * front of it, and a headless Debian Chromium page with the bridge shim installed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { StudioService } from '../../../main/service';
import type { StartRequestInput, StudioEvent } from '../../../preload/api';
import { E2E_RENDERER_DIR } from '../global-setup';
import { installBridgeShim } from './bridge-shim';
import { TOKEN_HEADER, startHarness } from './server';
import type { Harness } from './server';

export const CHROMIUM_PATH = process.env.LSTM_STUDIO_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');
/** The dataset cache is shared across sessions (parsing the IDX files is the slow part). */
const SHARED_DATA_DIR = path.resolve('test-results', 'e2e-data');

export interface Session {
  harness: Harness<StudioService>;
  service: StudioService;
  browser: Browser;
  page: Page;
  /**
   * What the folder dialog answers to an export: a folder inside this session's temp root, or
   * null for Cancel. (The native dialog is Electron's; this stands in for the person's choice.)
   */
  exportChoice: { folder: string | null; asked: number };
  /** Trains a small run directly through the service (not the UI) and resolves with its id. */
  trainRun(request: StartRequestInput): Promise<string>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts service, server and browser, and opens the renderer. */
export async function openSession(): Promise<Session> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  const root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-e2e-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const exportChoice: { folder: string | null; asked: number } = { folder: path.join(root, 'exports'), asked: 0 };
  mkdirSync(path.join(root, 'exports'));
  const service = new StudioService({
    dataDir: SHARED_DATA_DIR,
    runsDir: path.join(root, 'runs'),
    chooseExportFolder: async () => (exportChoice.asked++, exportChoice.folder),
  });
  const harness = await startHarness(service, E2E_RENDERER_DIR);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => console.error('renderer error:', err));
  page.on('console', (message) => message.type() === 'error' && console.error('renderer console:', message.text()));
  await page.addInitScript(installBridgeShim, { token: harness.token, tokenHeader: TOKEN_HEADER });
  await page.goto(harness.url);
  return {
    harness,
    service,
    browser,
    page,
    exportChoice,
    trainRun: (request) => trainDirectly(service, request),
    screenshot: async (name) => void (await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })),
    close: async () => {
      await browser.close();
      await harness.close();
      await service.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function trainDirectly(service: StudioService, request: StartRequestInput): Promise<string> {
  let off = (): void => undefined;
  const finished = new Promise<StudioEvent>((resolve) => {
    off = service.onEvent((event) => (event.type === 'done' || event.type === 'error') && resolve(event));
  });
  const { runId } = await service.startTraining(request);
  const event = await finished;
  off();
  if (event.type !== 'done' || event.runId !== runId) throw new Error(`training ${runId} failed: ${JSON.stringify(event)}`);
  return runId;
}
