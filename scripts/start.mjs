// `npm start`: build the bundles, then open the studio: in its desktop window where the Electron
// runtime is installed (fetched now if it is missing and can be downloaded), otherwise in the
// person's browser through browser mode (out/web/serve.mjs), with one line saying why.
// `npm run serve` (--browser) always opens browser mode.
// Flags: --skip-build (use what is in out/), --browser; the rest goes to the app or to serve.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { FETCH_HINT, ROOT, fetchElectronRuntime, findElectron, hasRecentFetchFailure, isDownloadSkipped } from './electron-runtime.mjs';

/** After a failed download, `npm start` opens browser mode at once for this long instead of waiting on the network again. */
const RETRY_AFTER_MS = 10 * 60_000;

const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const forceBrowser = args.includes('--browser');
const passOn = args.filter((a) => a !== '--skip-build' && a !== '--browser');

/** Runs a Node script to completion; exits with its status if it fails. */
function runNode(label, scriptArgs) {
  console.log(`> ${label}`);
  const result = spawnSync(process.execPath, scriptArgs, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/** The Electron executable, fetching the runtime first when it is missing and allowed; else null and why. */
async function electronOrReason() {
  const found = findElectron();
  if (found.path || isDownloadSkipped()) return found;
  if (hasRecentFetchFailure(RETRY_AFTER_MS)) return { path: null, reason: 'its download failed a few minutes ago' };
  console.log('> fetching the Electron runtime (about 100 MB)');
  const fetched = await fetchElectronRuntime({ timeoutMs: 5 * 60_000 });
  return fetched.ok ? findElectron() : { path: null, reason: fetched.reason };
}

/** Starts a child with our terminal; Ctrl-C reaches it through the process group, and its exit is ours. */
function runChild(executable, childArgs, env = process.env) {
  const child = spawn(executable, childArgs, { cwd: ROOT, stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  // The child sees the terminal's Ctrl-C itself and stops cleanly; we only wait for it.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => signal === 'SIGTERM' && child.kill(signal));
}

if (!skipBuild) {
  runNode('build: main, preload, worker, browser mode (esbuild)', ['scripts/build-engine.mjs']);
  runNode('build: renderer (vite)', [
    path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '-c',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
}

const electron = forceBrowser ? { path: null } : await electronOrReason();
if (electron.path) {
  // ELECTRON_RUN_AS_NODE in the environment (set by some IDEs) would start Node, not the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  runChild(electron.path, [ROOT, ...passOn], env);
} else {
  if (!forceBrowser) {
    const why = isDownloadSkipped() ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' : electron.reason;
    console.log(
      `\nNo desktop window: the Electron runtime is not installed (${why}). Opening LSTM Studio in your browser instead; \`${FETCH_HINT}\` adds the window.\n`,
    );
  }
  runChild(process.execPath, [path.join(ROOT, 'out', 'web', 'serve.mjs'), ...passOn]);
}
