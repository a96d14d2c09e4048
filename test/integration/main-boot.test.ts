/**
 * Boots the real main bundle (out/main/index.cjs) in plain Node with a recording stand-in for
 * `electron` (fixtures/electron-mock.cjs): the window's security settings, the IPC wiring, the
 * sender check and the real service behind it, everything but Chromium itself.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STUDIO_METHODS, channelFor } from '../../common/api';

interface Report {
  sandboxEnabled: boolean;
  windows: {
    options: { width: number; height: number; minWidth: number; minHeight: number; webPreferences: Record<string, unknown> };
    file: string;
    hardened: boolean;
  }[];
  handlers: string[];
  ipcListeners: string[];
  cspListeners: number;
  permissionRequestDenied: boolean | null;
  permissionCheck: boolean | null;
  /** The application menu's items, depth first; null when none was installed. */
  menu: { label?: string; role?: string }[] | null;
}

let child: ChildProcess;
let root: string;

function ask<T>(message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply) => resolve(reply as T));
    child.send(message);
  });
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-main-'));
  child = fork(path.resolve('out/main/index.cjs'), [], {
    execArgv: ['--require', path.resolve('test/integration/fixtures/electron-mock.cjs')],
    env: { ...process.env, LSTM_STUDIO_HOME: root },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Main registers everything synchronously after whenReady(); a tick is enough.
  await new Promise((resolve) => setTimeout(resolve, 300));
});

afterAll(() => {
  child?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('main/app/index.ts booted with a stand-in Electron', () => {
  it('enables the sandbox, sets the CSP header and denies permissions', async () => {
    const { report } = await ask<{ report: Report }>({ report: true });
    expect(report.sandboxEnabled).toBe(true);
    expect(report.cspListeners).toBe(1);
    expect(report.permissionRequestDenied).toBe(true);
    expect(report.permissionCheck).toBe(false);
  });

  it('opens one hardened window with the secure webPreferences and the built renderer', async () => {
    const { report } = await ask<{ report: Report }>({ report: true });
    expect(report.windows).toHaveLength(1);
    const [window] = report.windows;
    expect(window.options).toMatchObject({ width: 1280, height: 800, minWidth: 1024, minHeight: 700 });
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(existsSync(String(window.options.webPreferences.preload))).toBe(true);
    expect(window.file).toBe(path.resolve('out/renderer/index.html'));
    expect(window.hardened).toBe(true);
  });

  it("registers one IPC handler per method, and nothing on electron-log's own channel", async () => {
    const { report } = await ask<{ report: Report }>({ report: true });
    expect(report.handlers.sort()).toEqual(STUDIO_METHODS.map(channelFor).sort());
    expect(report.ipcListeners).toEqual([]);
  });

  it('starts the log file in the logs folder Electron names, saying which build started', () => {
    const log = readFileSync(path.join(root, 'logs', 'main.log'), 'utf8');
    expect(log).toMatch(/\[info\]\s+LSTM Studio 0\.0\.0-test started \(Electron /);
  });

  it('serves the main frame from the real service and refuses a subframe', async () => {
    const trusted = await ask<{ result: unknown }>({ call: channelFor('getStatus'), trusted: true });
    expect(trusted.result).toMatchObject({ ok: true, value: { isTraining: false } });
    const foreign = await ask<{ result: unknown }>({ call: channelFor('getStatus'), trusted: false });
    expect(foreign.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const invalid = await ask<{ result: unknown }>({ call: channelFor('loadRun'), payload: { runId: '../x' }, trusted: true });
    expect(invalid.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it("refuses a navigation away, and main's console warning about it reaches the log file", async () => {
    const { navigated } = await ask<{ navigated: boolean }>({ navigate: 'https://evil.example/phish' });
    expect(navigated).toBe(false);
    const logged = () => readFileSync(path.join(root, 'logs', 'main.log'), 'utf8');
    for (let i = 0; i < 50 && !logged().includes('evil.example'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(logged()).toMatch(/\[warn\]\s+Blocked navigation to https:\/\/evil\.example\/phish/);
  });

  it('installs the application menu, with Reload and Developer Tools as the build is not packaged', async () => {
    const { report } = await ask<{ report: Report }>({ report: true });
    const labels = (report.menu ?? []).map((item) => item.label?.replace('&', ''));
    expect(labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help', 'Start training', 'Undo stroke']));
    expect((report.menu ?? []).map((item) => item.role)).toEqual(
      expect.arrayContaining(['undo', 'copy', 'paste', 'reload', 'toggleDevTools']),
    );
  });
});
