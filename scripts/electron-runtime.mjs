// The Electron runtime (the ~100 MB binary that electron's own install script downloads),
// shared by `npm install` (scripts/postinstall.mjs), `npm run fetch-electron` and `npm start`.
// package.json's allowScripts denies electron's install script, so that an unreachable download
// host can never make `npm install` fail; we run the same script here instead, bounded in time,
// and turn its failure into one line a person can act on.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** How to get the runtime later, in the words every message uses. */
export const FETCH_HINT = 'npm run fetch-electron';

/** Where a failed download is remembered, so `npm start` does not wait for the same failure again at once. */
// LSTM_STUDIO_FETCH_MARK moves it (the install test uses a temp folder, so a developer's next start is not affected).
const FAILURE_MARK =
  process.env.LSTM_STUDIO_FETCH_MARK ?? path.join(ROOT, 'node_modules', '.cache', 'lstm-studio', 'electron-fetch-failed');

/** Notes that a download just failed (best effort). */
export function recordFetchFailure(reason) {
  try {
    mkdirSync(path.dirname(FAILURE_MARK), { recursive: true });
    writeFileSync(FAILURE_MARK, `${new Date().toISOString()} ${reason}\n`);
  } catch {
    // Only a hint for the next start: not being able to write it changes nothing else.
  }
}

/** True when a download failed less than `maxAgeMs` ago. */
export function hasRecentFetchFailure(maxAgeMs) {
  try {
    return Date.now() - statSync(FAILURE_MARK).mtimeMs < maxAgeMs;
  } catch {
    return false;
  }
}

/**
 * The Electron executable, or null with the reason when it is not installed. Reads what the
 * electron package's index.js reads (path.txt, then dist/) instead of requiring it: since
 * Electron 42 requiring it downloads the runtime when missing (a spawnSync of install.js that
 * prints "Downloading Electron binary..." and waits on the network), and asking whether the
 * runtime is here must never do that.
 */
export function findElectron(root = ROOT) {
  let packageDir;
  try {
    packageDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch (err) {
    return { path: null, reason: `the electron package is not installed (${firstLine(err instanceof Error ? err.message : String(err))})` };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, reason: 'the Electron runtime has not been downloaded' };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = override ? path.join(override, relative || 'electron') : path.join(packageDir, 'dist', relative);
  return existsSync(executable) ? { path: executable } : { path: null, reason: `${executable} does not exist` };
}

/** True when the person asked npm to skip the download (electron's own switch). */
export function isDownloadSkipped(env = process.env) {
  return Boolean(env.ELECTRON_SKIP_BINARY_DOWNLOAD);
}

/**
 * Runs electron's install script (its download, checksum and unzip) with a time limit.
 * Resolves `{ ok: true }` or `{ ok: false, reason }`, where the reason is the error's first
 * line ("getaddrinfo ENOTFOUND …"), never a stack trace. Never rejects.
 */
export function fetchElectronRuntime({ root = ROOT, timeoutMs = 10 * 60_000 } = {}) {
  const script = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(script)) return Promise.resolve({ ok: false, reason: 'the electron package is not installed (run npm install)' });
  return new Promise((resolve) => {
    // Callers decide whether to fetch; with the skip switch set the script would silently do nothing.
    const env = { ...process.env };
    delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
    const child = spawn(process.execPath, [script], { cwd: path.dirname(script), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: firstLine(err.message) });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && findElectron(root).path) return resolve({ ok: true });
      const reason =
        signal === 'SIGKILL'
          ? `the download took longer than ${Math.round(timeoutMs / 1000)} s`
          : (errorLine(output) ?? `electron's install script exited with ${code ?? signal}`);
      recordFetchFailure(reason);
      resolve({ ok: false, reason });
    });
  });
}

/** The line of a Node error dump that says what went wrong, e.g. "RequestError: getaddrinfo ENOTFOUND host". */
function errorLine(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^[A-Za-z]*Error\b|^Error:/.test(l)) ?? lines.find((l) => !l.startsWith('at ')) ?? null;
}

function firstLine(text) {
  return text.split('\n')[0].trim();
}
