/**
 * One e2e session: a real StudioService on a throwaway runs folder, browser mode's own server
 * (main/web/server.ts) in front of it, and a headless Chromium page opened on its launch URL, so
 * the page gets its token and `window.lstm` exactly as a person's browser does.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { StudioService } from '../../../main/service/service';
import { startWebServer } from '../../../main/web/server';
import type { WebServer } from '../../../main/web/server';
import type { StartRequestInput, StudioEvent } from '../../../common/api';
import { E2E_RENDERER_DIR } from '../global-setup';
import { CHROMIUM_ARGS } from './chromium';

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');
/** The dataset cache is shared across sessions (parsing the IDX files is the slow part). */
const SHARED_DATA_DIR = path.resolve('test-results', 'e2e-data');
/** The bridge bundle the server puts in front of the renderer (built by the global setup). */
export const E2E_BRIDGE_SCRIPT = path.resolve('out', 'web', 'bridge.js');

export interface Session {
  server: WebServer;
  service: StudioService;
  browser: Browser;
  page: Page;
  /** Trains a small run directly through the service (not the UI) and resolves with its id. */
  trainRun(request: StartRequestInput): Promise<string>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Headless Chromium: the one the global setup found. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: inject('chromiumPath'), headless: true, args: CHROMIUM_ARGS });
}

/** A page on `launchUrl` whose renderer errors fail loudly in the test log. */
export async function openStudioPage(browser: Browser, launchUrl: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  page.on('pageerror', (err) => console.error('renderer error:', err));
  page.on('console', (message) => message.type() === 'error' && console.error('renderer console:', message.text()));
  await page.goto(launchUrl);
  return page;
}

/** Starts service, server and browser, and opens the studio. */
export async function openSession(): Promise<Session> {
  const root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-e2e-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const service = new StudioService({ dataDir: SHARED_DATA_DIR, runsDir: path.join(root, 'runs') });
  const server = await startWebServer(service, { rendererDir: E2E_RENDERER_DIR, bridgeScript: E2E_BRIDGE_SCRIPT });
  const browser = await launchChromium();
  const page = await openStudioPage(browser, server.launchUrl);
  return {
    server,
    service,
    browser,
    page,
    trainRun: (request) => trainDirectly(service, request),
    screenshot: async (name) => void (await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })),
    close: async () => {
      await browser.close();
      await server.close();
      await service.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Trains a run through the service (not the UI); resolves with its id once it is saved. */
export async function trainDirectly(service: StudioService, request: StartRequestInput): Promise<string> {
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
