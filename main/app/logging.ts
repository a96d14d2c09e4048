/**
 * The desktop app's log file, the one a person can send: electron-log's main logger writing
 * `main.log` in the platform's logs folder (`app.getPath('logs')`, which Help › Open logs folder
 * opens), rotated by log-file.ts. It takes main's uncaught exceptions and unhandled rejections,
 * renderers and child processes that crashed or hung, and everything the service logs (the
 * workers' crashes with their stacks). Renderer errors arrive through reportRendererError, not
 * through electron-log's own preload: our sandboxed page loads only the bridge we derive.
 */
import { app, ipcMain } from 'electron';
import log from 'electron-log/main';
import path from 'node:path';
import { useRotatingFile } from '../service/log-file';
import type { Logger } from '../service/logger';

export const MAIN_LOG_FILE = 'main.log';
/** The channel electron-log's own renderer half would log on; nothing of ours sends on it. */
const ELECTRON_LOG_CHANNEL = '__ELECTRON_LOG__';

/** `<logs>/main.log`: ~/.config/LSTM Studio/logs on Linux, ~/Library/Logs/LSTM Studio on macOS, %APPDATA%\LSTM Studio\logs on Windows. */
export function mainLogPath(): string {
  return path.join(app.getPath('logs'), MAIN_LOG_FILE);
}

/** Starts the log file and the error catching; returns the logger the service is given. */
export function setupLogging(): Logger {
  useRotatingFile(log.transports.file, mainLogPath());
  log.transports.file.level = 'info';
  // In development electron-log echoes main's log into every page's console; ours has no use for main's stacks.
  if (log.transports.ipc) log.transports.ipc.level = false;
  closeRendererChannel();
  // main's own console lines (a blocked navigation, a renderer that failed to load, a window
  // state that could not be saved) go to the file too; the console transport still prints them.
  Object.assign(console, log.functions);
  // An uncaught exception still shows Electron's error dialog, now also written down.
  log.errorHandler.startCatching();
  // render-process-gone, child-process-gone (GPU, utility), did-fail-load, unresponsive, preload-error.
  log.eventLogger.startLogging();
  log.info(`LSTM Studio ${app.getVersion()} started (Electron ${process.versions.electron}, ${process.platform} ${process.arch}).`);
  return log;
}

/**
 * Loading electron-log/main answers its channel for every page. Ours cannot reach ipcRenderer,
 * but a channel that writes whatever it is sent into the log is one nothing should listen on.
 */
function closeRendererChannel(): void {
  ipcMain.removeHandler(ELECTRON_LOG_CHANNEL);
  ipcMain.removeAllListeners(ELECTRON_LOG_CHANNEL);
}
