/**
 * The Electron main process: lifecycle, one window, security, IPC. Each concern is a setupX()
 * call into its own module (as in Electron Fiddle); training runs in the worker, never here.
 */
import { app, BrowserWindow, session } from 'electron';
import path from 'node:path';
import { chooseExportFolder, chooseOpenFile, chooseSaveFile } from './export-dialog';
import { setupIpc } from './ipc';
import { setupLogging } from './logging';
import type { Logger } from '../service/logger';
import { setupMenu } from './menu';
import { menuActions } from './menu-actions';
import { setupQuitConfirmation } from './quit-guard';
import { dataPaths, defaultDataRoot } from '../service/paths';
import { setupRunIntegration } from './run-integration';
import { setupSecurity, setupSessionSecurity } from './security';
import { StudioService } from '../service/service';
import { createMainWindow, trustedSenderCheck } from './window';
import { setupWindowState } from './window-state';
import type { WindowStateKeeper } from './window-state';
import { windowStatePath } from '../store/window-state-store';

let mainWindow: BrowserWindow | null = null;
let windowState: WindowStateKeeper | null = null;

setupSecurity(); // before `ready`: enableSandbox only works then
if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusMainWindow);
  app.whenReady().then(onReady, (err: unknown) => fail(err));
} else {
  app.quit(); // another LSTM Studio owns the data folder and the trainer
}

function onReady(): void {
  const logger = setupLogging();
  setupSessionSecurity(session.defaultSession);
  const service = createService(logger);
  setupIpc(
    service,
    trustedSenderCheck(() => mainWindow),
    () => mainWindow,
    logger,
  );
  setupRunIntegration(service, { getWindow: () => mainWindow, focusWindow: focusMainWindow, logger });
  setupLifecycle(service);
  setupMenu(menuActions({ getWindow: () => mainWindow, runsDir: dataPaths(defaultDataRoot()).runsDir, engine: () => service.host.info }));
  setupQuitConfirmation(service, () => mainWindow); // before the window opens: it guards every window's close
  windowState = setupWindowState(windowStatePath(defaultDataRoot()));
  openMainWindow();
}

/** The service over the shared data root; packaged builds read MNIST from resources/mnist. */
function createService(logger: Logger): StudioService {
  const mnistDir = app.isPackaged ? path.join(process.resourcesPath, 'mnist') : undefined;
  return new StudioService({
    ...dataPaths(defaultDataRoot()),
    mnistDir,
    chooseExportFolder: (runId) => chooseExportFolder(mainWindow, runId),
    chooseSaveFile: (fileName) => chooseSaveFile(mainWindow, fileName),
    chooseOpenFile: (fileName) => chooseOpenFile(mainWindow, fileName),
    logger,
  });
}

function setupLifecycle(service: StudioService): void {
  app.on('activate', () => mainWindow ?? openMainWindow()); // macOS dock click
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void service.dispose());
}

function openMainWindow(): void {
  mainWindow = createMainWindow(windowState?.placement());
  windowState?.track(mainWindow);
  mainWindow.on('closed', () => (mainWindow = null));
}

function focusMainWindow(): void {
  if (!mainWindow) return openMainWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function fail(err: unknown): void {
  console.error('LSTM Studio could not start:', err);
  app.exit(1);
}
