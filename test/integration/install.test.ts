/**
 * `npm install`'s last step on a machine that cannot download Electron's runtime: the real
 * scripts/postinstall.mjs running electron's own install script against a download mirror on a
 * closed loopback port (so the test never touches the network, whatever the machine), with the
 * runtime made missing by electron's ELECTRON_OVERRIDE_DIST_PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-install-'));
const mark = path.join(root, 'fetch-failed');

afterAll(() => rmSync(root, { recursive: true, force: true }));

function postinstall(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'no-electron'),
    electron_config_cache: path.join(root, 'cache'),
    LSTM_STUDIO_FETCH_MARK: mark,
    ...extra,
  };
  if (!('ELECTRON_SKIP_BINARY_DOWNLOAD' in extra)) delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return spawnSync(process.execPath, ['scripts/postinstall.mjs', ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

describe('scripts/postinstall.mjs without a reachable download host', () => {
  it('finishes the install (exit 0) with one line saying what is missing and how to get it, no stack trace', () => {
    const run = postinstall([]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^LSTM Studio: the desktop window is not available until the Electron runtime is fetched \(.+\); `npm start` opens the studio in your browser meanwhile, and `npm run fetch-electron` retries the download\.$/,
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
    expect(existsSync(mark)).toBe(true); // npm start will not wait for the same failure again at once
  });

  it('fails `npm run fetch-electron` (exit 1) with the same reason', () => {
    const run = postinstall(['--strict']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/the desktop window is not available until the Electron runtime is fetched/);
  });

  it('says in one line that the download was skipped when ELECTRON_SKIP_BINARY_DOWNLOAD is set', () => {
    const run = postinstall([], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^LSTM Studio: Electron runtime not fetched \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\)/);
  });
});
