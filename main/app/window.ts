/**
 * The one BrowserWindow: sandboxed, context-isolated, loading the built renderer from disk,
 * and the check that tells IPC whether a message came from it.
 */
import { BrowserWindow } from 'electron';
import type { WebFrameMain } from 'electron';
import path from 'node:path';
import { isRendererUrl } from '../service/ipc-dispatch';
import { appRoot } from '../service/paths';
import type { WindowPlacement, WindowSizes } from './window-placement';

/** The window's default and least size: the views are laid out for at least 1024 × 700. */
export const WINDOW_SIZES: WindowSizes = { width: 1280, height: 800, minWidth: 1024, minHeight: 700 };

/** out/renderer/index.html under the app root (inside app.asar when packaged). */
export function rendererIndexPath(): string {
  return path.join(appRoot(), 'out', 'renderer', 'index.html');
}

/** Creates the main window at `placement` (default: centred at the default size) and loads the renderer into it. */
export function createMainWindow(
  placement: WindowPlacement = { width: WINDOW_SIZES.width, height: WINDOW_SIZES.height, isMaximized: false },
): BrowserWindow {
  const { isMaximized, ...bounds } = placement;
  const window = new BrowserWindow({
    ...bounds,
    minWidth: WINDOW_SIZES.minWidth,
    minHeight: WINDOW_SIZES.minHeight,
    title: 'LSTM Studio',
    show: false, // shown once painted, so there is no white flash
    webPreferences: {
      preload: path.join(appRoot(), 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => {
    // Maximising also shows the window; either way it appears only once painted.
    if (isMaximized) window.maximize();
    window.show();
  });
  window.loadFile(rendererIndexPath()).catch((err: unknown) => console.error('Could not load the renderer:', err));
  return window;
}

/**
 * A sender check for `setupIpc`: only the current window's main frame, showing our own
 * index.html, may call the API (not an iframe, not a page it was navigated to).
 */
export function trustedSenderCheck(getWindow: () => BrowserWindow | null): (frame: WebFrameMain | null) => boolean {
  const indexPath = rendererIndexPath();
  return (frame) => {
    const window = getWindow();
    if (!frame || !window || window.isDestroyed()) return false;
    const mainFrame = window.webContents.mainFrame;
    const isMainFrame = frame.processId === mainFrame.processId && frame.routingId === mainFrame.routingId;
    return isMainFrame && isRendererUrl(frame.url, indexPath);
  };
}
