/**
 * Flow: browser mode as `npm start` opens it on a machine without Electron's runtime: the real
 * start script (which builds, finds no runtime and says so), the real server process with the
 * real service, and a real Chromium page on the printed address. Electron's own switches make
 * the runtime missing even where it is installed: ELECTRON_SKIP_BINARY_DOWNLOAD (no fetch) and
 * ELECTRON_OVERRIDE_DIST_PATH (an empty folder).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOutcome, externalAddress } from '../support/network';
import { drawSeven } from './harness/draw';
import { expect as expectPage } from './harness/expect';
import { QUICK_RUN, fillHyperparams } from './harness/form';
import { launchChromium, openStudioPage, SCREENSHOT_DIR } from './harness/session';

const LAUNCH_URL = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{48})/;

let home: string;
let env: NodeJS.ProcessEnv;
let studio: ChildProcess;
let output = '';
let launchUrl: string;
let port: number;
let token: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'lstm-studio-browser-mode-'));
  // A person's shell, not vitest's: NODE_ENV=test would make Vite build a development renderer.
  const shell = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
  env = {
    ...shell,
    LSTM_STUDIO_HOME: home,
    ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    ELECTRON_OVERRIDE_DIST_PATH: path.join(home, 'no-electron'),
    BROWSER: 'none',
  };
  // Its own process group, so the test can send Ctrl-C the way a terminal does: to the group.
  studio = spawn(process.execPath, ['scripts/start.mjs'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  studio.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  studio.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expectPage.until(
    async () => LAUNCH_URL.test(output),
    'npm start to print its address',
    170_000,
    () => output.slice(-400),
  );
  const match = LAUNCH_URL.exec(output)!;
  [launchUrl, port, token] = [match[0], Number(match[1]), match[2]];
  browser = await launchChromium();
  page = await openStudioPage(browser, launchUrl);
});

afterAll(async () => {
  await browser?.close();
  if (studio && studio.exitCode === null) process.kill(-studio.pid!, 'SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

/** A raw request to the studio's port with any headers (fetch forbids setting Host and Origin). */
function request(pathname: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('browser mode through npm start', () => {
  it('says in one line why there is no desktop window, then prints a loopback address with a token', () => {
    expect(output).toMatch(/No desktop window: the Electron runtime is not installed \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\)/);
    expect(output).toContain('npm run fetch-electron');
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  });

  it('trains a short run, draws a digit on it and lists it', async () => {
    await expectPage.toHaveText(page.getByTestId('backend-badge'), /webassembly|wasm|tensorflow|cpu/i);
    await fillHyperparams(page, { ...QUICK_RUN, name: 'browser mode run' });
    await page.getByTestId('start-button').click();
    await expectPage.toHaveText(page.getByTestId('final-accuracy'), /\d+(\.\d+)?\s*%/, 120_000);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'browser-mode-train.png') });
    await page.getByTestId('tab-draw').click();
    await expectPage.toBeVisible(page.getByTestId('draw-canvas'));
    await drawSeven(page);
    await expectPage.toHaveText(page.getByTestId('predicted-digit'), /^\s*\d\s*$/);
    await page.getByTestId('tab-runs').click();
    await expectPage.toHaveCount(page.getByTestId('run-row'), 1);
    await expectPage.toHaveText(page.getByTestId('runs-table'), /browser mode run/);
  });

  it('refuses requests without or with a wrong token, from another Origin or Host, and outside the renderer', async () => {
    const cookie = `lstm_studio_${port}=${token}`;
    expect((await request('/', {})).status).toBe(403);
    expect((await request('/', { cookie: `lstm_studio_${port}=${'0'.repeat(48)}` })).status).toBe(403);
    expect((await request(`/?token=${'0'.repeat(48)}`, {})).status).toBe(403);
    expect((await request('/api/events', {})).status).toBe(403);
    expect((await request('/api/listRuns', {}, 'POST')).status).toBe(403);
    expect((await request('/api/listRuns', { cookie, origin: 'http://evil.example' }, 'POST')).status).toBe(403);
    expect((await request('/', { cookie, host: `evil.example:${port}` })).status).toBe(421);
    for (const outside of ['/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const reply = await request(outside, { cookie });
      expect(reply.status).not.toBe(200);
      expect(reply.body).not.toContain('"lstm-studio"');
    }
    const listed = await request('/api/listRuns', { cookie }, 'POST');
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body)).toMatchObject({ ok: true, value: [{ name: 'browser mode run' }] });
  });

  it.skipIf(!externalAddress)(`is not reachable on this machine's other address (${externalAddress ?? 'none here'})`, async () => {
    expect(await connectOutcome(externalAddress!, port)).toBe('ECONNREFUSED');
  });

  it('a second npm start says that one is already running, and where', () => {
    const second = spawnSync(process.execPath, ['scripts/start.mjs', '--skip-build'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(second.status).toBe(1);
    expect(second.stdout).toContain(`LSTM Studio is already running in browser mode at ${launchUrl}`);
  });

  it('Ctrl-C stops the server and the trainer cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => studio.once('exit', (code) => resolve(code)));
    process.kill(-studio.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopping LSTM Studio');
    expect(existsSync(path.join(home, 'browser-mode.lock.json'))).toBe(false);
    await expect(request('/', {})).rejects.toThrow(/ECONNREFUSED/);
  });
});
