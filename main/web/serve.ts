/**
 * Browser mode from start to Ctrl-C: take the data folder's lock, start the real StudioService
 * and the loopback server, print the address (and open it), and on Ctrl-C let a running
 * training run stop and save before the trainer and server close. Entry: serve-cli.ts.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createFileLogger } from '../service/log-file';
import { logProcessCrashes } from '../service/logger';
import { appRoot, dataPaths, defaultDataRoot, logsDir } from '../service/paths';
import { StudioService } from '../service/service';
import type { StudioEvent } from '../../common/api';
import { acquireInstanceLock, isHeldElsewhere } from './instance-lock';
import type { InstanceLock } from './instance-lock';
import { openInBrowser } from './open-browser';
import type { ServeOptions } from './serve-args';
import { startWebServer } from './server';
import type { WebServer } from './server';

/** Not main.log: on Linux and Windows this folder is also the desktop app's, and two studios must never write one file. */
const LOG_FILE_NAME = 'browser.log';

/** How long Ctrl-C waits for a running run to stop and save before closing anyway. */
const STOP_WAIT_MS = 60_000;

/** Where the built renderer and bridge script are, under the app root. */
function staticRoots(root: string) {
  return { rendererDir: path.join(root, 'out', 'renderer'), bridgeScript: path.join(root, 'out', 'web', 'bridge.js') };
}

/** Serves until a signal; resolves with the exit code. */
export async function serve(options: ServeOptions): Promise<number> {
  const dataRoot = defaultDataRoot();
  await mkdir(dataRoot, { recursive: true });
  const lock = await acquireInstanceLock(dataRoot);
  if (isHeldElsewhere(lock)) {
    const where = lock.launchUrl ? `at ${lock.launchUrl}` : '(still starting)';
    console.log(`LSTM Studio is already running in browser mode ${where} (process ${lock.pid}), on the same data folder.`);
    console.log('Open that address, or stop that one with Ctrl-C in its terminal first.');
    if (lock.launchUrl && options.shouldOpen) openInBrowser(lock.launchUrl);
    return 1;
  }
  const logFile = path.join(logsDir(dataRoot), LOG_FILE_NAME);
  const logger = createFileLogger(logFile);
  logProcessCrashes(logger);
  logger.info(`LSTM Studio browser mode started (Node ${process.versions.node}, ${process.platform} ${process.arch}).`);
  const service = new StudioService({ ...dataPaths(dataRoot), logger });
  let server: WebServer;
  try {
    const logError = (message: string, err: unknown) => logger.error(message, err);
    server = await startWebServer(service, { ...staticRoots(appRoot()), port: options.port, logError });
  } catch (err) {
    await Promise.all([service.dispose(), lock.release()]);
    console.error(listenProblem(err, options.port));
    return 1;
  }
  await lock.publish(server.launchUrl);
  console.log(`LSTM Studio is running in your browser at\n\n    ${server.launchUrl}\n`);
  console.log(`Data folder: ${dataRoot}; log: ${logFile}. Only this machine can connect (127.0.0.1). Ctrl-C stops it.`);
  if (options.shouldOpen) openInBrowser(server.launchUrl);
  return waitForSignal(service, server, lock);
}

function listenProblem(err: unknown, port: number): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `Port ${port} is in use: choose another with --port, or leave --port out for a free one.`;
  if (code === 'EACCES') return `Port ${port} needs administrator rights: choose one above 1023.`;
  return `Could not start the server: ${(err as Error).message}`;
}

/** First Ctrl-C: stop a run (it is saved) and close; a second: close at once (the run keeps its checkpoint). */
function waitForSignal(service: StudioService, server: WebServer, lock: InstanceLock): Promise<number> {
  return new Promise((resolve) => {
    let isStopping = false;
    const onSignal = async (): Promise<void> => {
      if (isStopping) {
        // A second Ctrl-C: the person will not wait for the run to save; its last checkpoint stays.
        await lock.release();
        console.log('Closing now; the run can be resumed from its last checkpoint.');
        process.exit(130);
      }
      isStopping = true;
      console.log('\nStopping LSTM Studio…');
      await stopRunningRun(service);
      await server.close();
      await service.dispose();
      await lock.release();
      resolve(0);
    };
    process.on('SIGINT', () => void onSignal());
    process.on('SIGTERM', () => void onSignal());
  });
}

async function stopRunningRun(service: StudioService): Promise<void> {
  const status = await service.getStatus();
  if (!status.isTraining) return;
  console.log(`Stopping run ${status.runId ?? ''} after its current batch (it is saved)…`);
  let off = (): void => undefined;
  const ended = new Promise<void>((resolve) => {
    off = service.onEvent((event: StudioEvent) => (event.type === 'done' || event.type === 'error') && resolve());
  });
  await service.stopTraining();
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
  off();
}
