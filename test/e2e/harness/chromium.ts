/**
 * The browser the end-to-end flows drive, found the way a developer's machine has one, so that
 * `npm test` needs neither apt nor root: `LSTM_STUDIO_CHROMIUM` if set, else an installed
 * Chromium, Chrome or Edge (Linux, macOS, Windows), else the Chromium build that the npm package
 * @sparticuz/chromium carries (Linux x64), unpacked on first use.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A browser executable and where it came from (printed once by the global setup). */
export interface FoundChromium {
  path: string;
  source: string;
}

/** Installed browsers, in the order they are tried on each platform. */
export function systemCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    return ['Chromium', 'Google Chrome', 'Microsoft Edge'].map((app) => `/Applications/${app}.app/Contents/MacOS/${app}`);
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    return roots.flatMap((root) => [
      path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  return ['/usr/bin', '/usr/local/bin', '/snap/bin'].flatMap((dir) => names.map((name) => path.join(dir, name)));
}

/** Finds a browser or throws saying every place that was tried. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium> {
  const explicit = env.LSTM_STUDIO_CHROMIUM;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`LSTM_STUDIO_CHROMIUM is ${explicit}, which does not exist`);
    return { path: explicit, source: 'LSTM_STUDIO_CHROMIUM' };
  }
  const installed = systemCandidates().find((candidate) => existsSync(candidate));
  if (installed) return { path: installed, source: 'installed on this machine' };
  if (process.platform === 'linux' && process.arch === 'x64') {
    const { default: packaged } = await import('@sparticuz/chromium');
    return { path: await packaged.executablePath(), source: 'the @sparticuz/chromium npm package' };
  }
  throw new Error(`No Chromium, Chrome or Edge found (tried ${systemCandidates().join(', ')}); install one or set LSTM_STUDIO_CHROMIUM`);
}

/** Launch flags for a headless, offline run (without the network ones Chromium retries its own hosts). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
