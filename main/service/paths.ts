/**
 * Where things live on disk: the app's own files (the bundled worker) and the person's data
 * (dataset cache, runs). The CLI and the Electron app use the same functions so that they
 * share one data folder. No `electron` import: the CLI and tests load this too.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** package.json's `name`; identifies the app root when walking up from a bundle. */
const PACKAGE_NAME = 'lstm-studio';
/** package.json's `productName`; Electron names the userData folder after it. */
export const PRODUCT_NAME = 'LSTM Studio';

/**
 * The folder holding package.json and out/: the repository in development,
 * `resources/app.asar` when packaged. Found by walking up from this module's bundle
 * (out/main, out/cli) or, in ESM bundles where `__dirname` does not exist, from the entry
 * script; `LSTM_STUDIO_APP_ROOT` overrides both.
 */
export function appRoot(): string {
  const override = process.env.LSTM_STUDIO_APP_ROOT;
  if (override) return path.resolve(override);
  const starts = [moduleDir(), process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : null, process.cwd()];
  for (const start of starts) {
    const found = start ? findPackageRoot(start) : null;
    if (found) return found;
  }
  throw new Error(`Cannot find the ${PACKAGE_NAME} package.json above ${moduleDir() ?? process.cwd()}`);
}

/**
 * The bundled trainer worker. Inside a packaged app it is read from `app.asar.unpacked`
 * (electron-builder.yml unpacks out/worker/**): worker threads load ESM from real files.
 */
export function workerPath(root: string = appRoot()): string {
  return unpackedPath(path.join(root, 'out', 'worker', 'worker.mjs'));
}

/** Maps a path inside `app.asar` to its twin in `app.asar.unpacked`; other paths unchanged. */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/**
 * The person's data root: `LSTM_STUDIO_HOME` if set, else the folder Electron uses as
 * userData for productName "LSTM Studio", so the CLI and the app see the same runs.
 */
export function defaultDataRoot(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.LSTM_STUDIO_HOME) return path.resolve(env.LSTM_STUDIO_HOME);
  return path.join(appDataDir(env, platform, home), PRODUCT_NAME);
}

/** Electron's `app.getPath('appData')` rules, without Electron. */
function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32') return env.APPDATA || path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || path.join(home, '.config');
}

/** The dataset cache and run folders under a data root. */
export interface DataPaths {
  dataDir: string;
  runsDir: string;
}

/** `root/data` and `root/runs`. */
export function dataPaths(root: string = defaultDataRoot()): DataPaths {
  return { dataDir: path.join(root, 'data'), runsDir: path.join(root, 'runs') };
}

/**
 * `root/logs`: browser mode's log file. On Linux and Windows it is the folder the desktop app's
 * `app.getPath('logs')` also names; macOS keeps the app's in ~/Library/Logs/LSTM Studio.
 */
export function logsDir(root: string = defaultDataRoot()): string {
  return path.join(root, 'logs');
}

/** This module's folder in CJS bundles and under vitest; null in ESM bundles. */
function moduleDir(): string | null {
  return typeof __dirname === 'string' ? __dirname : null;
}

function findPackageRoot(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (isOurPackage(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isOurPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof json === 'object' && json !== null && (json as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false; // a damaged package.json elsewhere on the way up is not ours
  }
}
