// `npm install`'s last step (and `npm run fetch-electron`): fetch the Electron runtime where its
// download host can be reached, and otherwise say in one line what that means and how to fix it.
// Always exits 0 from postinstall: a missing desktop runtime must never fail the install, because
// `npm start` opens the same studio in the browser without it. `--strict` (fetch-electron) exits 1.
import { FETCH_HINT, fetchElectronRuntime, findElectron, isDownloadSkipped } from './electron-runtime.mjs';

const isStrict = process.argv.includes('--strict');
const prefix = 'LSTM Studio:';

async function main() {
  if (findElectron().path) {
    if (isStrict) console.log(`${prefix} the Electron runtime is already installed.`);
    return 0;
  }
  if (isDownloadSkipped() && !isStrict) {
    console.log(
      `${prefix} Electron runtime not fetched (ELECTRON_SKIP_BINARY_DOWNLOAD is set): \`npm start\` opens the studio in your browser; \`${FETCH_HINT}\` adds the desktop window.`,
    );
    return 0;
  }
  // npm shows its own spinner during install; one line in all is what a person reads there.
  if (isStrict) console.log(`${prefix} fetching the Electron runtime (about 100 MB)…`);
  const result = await fetchElectronRuntime({ timeoutMs: 5 * 60_000 });
  if (result.ok) {
    console.log(`${prefix} Electron runtime ready: \`npm start\` opens the desktop window.`);
    return 0;
  }
  console.log(
    `${prefix} the desktop window is not available until the Electron runtime is fetched (${result.reason}); \`npm start\` opens the studio in your browser meanwhile, and \`${FETCH_HINT}\` retries the download.`,
  );
  return isStrict ? 1 : 0;
}

process.exitCode = await main();
