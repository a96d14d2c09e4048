// `npm start`: build the main/worker/preload bundles and the renderer, then launch Electron.
// Where the Electron binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, no internet),
// say so and how to fix it instead of letting `require('electron')` print a stack trace.
// Flags: --skip-build (launch what is in out/); anything else is passed on to the app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const appArgs = args.filter((a) => a !== '--skip-build');

/** Runs a Node script to completion; exits with its status if it fails. */
function runNode(label, scriptArgs) {
  console.log(`> ${label}`);
  const result = spawnSync(process.execPath, scriptArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/** The Electron executable, or null with the reason when it is not installed. */
function findElectron() {
  try {
    const executable = createRequire(path.join(root, 'package.json'))('electron');
    if (typeof executable !== 'string') return { path: null, reason: 'the electron package did not return a path' };
    return existsSync(executable) ? { path: executable } : { path: null, reason: `${executable} does not exist` };
  } catch (err) {
    return { path: null, reason: err instanceof Error ? err.message : String(err) };
  }
}

function explainMissingElectron(reason) {
  console.error(`
LSTM Studio cannot open its window: the Electron runtime was not downloaded.

  Why: npm installed the electron package without its binary (${reason}).
       That happens with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or on a machine without internet.

  Fix, on a machine with internet access (the variable must be unset, or the
  installer silently does nothing):
       env -u ELECTRON_SKIP_BINARY_DOWNLOAD node node_modules/electron/install.js
       (or: npm rebuild electron), then run npm start again.

  Or train without a window, with the same engine:
       npm run train
`);
}

if (!skipBuild) {
  runNode('build: main, preload, worker (esbuild)', ['scripts/build-engine.mjs']);
  runNode('build: renderer (vite)', [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}

const electron = findElectron();
if (!electron.path) {
  explainMissingElectron(electron.reason);
  process.exit(1);
}

// ELECTRON_RUN_AS_NODE in the environment (set by some IDEs) would start Node, not the app.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron.path, [root, ...appArgs], { cwd: root, stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
