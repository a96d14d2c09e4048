/**
 * What the application menu's items do in main: hand a command to the window, open the runs or
 * logs folder in the file manager, show the About panel.
 */
import { mkdir } from 'node:fs/promises';
import { app, dialog, shell } from 'electron';
import type { BrowserWindow } from 'electron';
import { EVENT_CHANNEL } from '../../common/api';
import { MenuCommandEventSchema } from '../../common/menu-commands';
import type { MenuCommand } from '../../common/menu-commands';
import type { ReadyInfo } from '../service/trainer-host';
import { showAbout } from './about';
import type { MenuActions } from './menu';

/** What the actions reach: the window, the runs folder, and the trainer's report for About. */
export interface MenuContext {
  getWindow: () => BrowserWindow | null;
  runsDir: string;
  /** The trainer worker's backend and versions; null while it starts. */
  engine: () => ReadyInfo | null;
}

/** The menu's actions over `context`. */
export function menuActions(context: MenuContext): MenuActions {
  return {
    send: (command) => void sendMenuCommand(context.getWindow(), command),
    openRunsFolder: () => void openFolder(context.runsDir, context.getWindow()),
    // The rotating log (electron-log) writes here on every platform.
    openLogsFolder: () => void openFolder(app.getPath('logs'), context.getWindow()),
    showAbout: () => void showAbout(context.getWindow(), context.engine()),
  };
}

/**
 * Sends `command` to the window's renderer on EVENT_CHANNEL; false when there is no window or the
 * command is not one of MENU_COMMANDS (the template is typed, but the channel carries only these).
 */
export function sendMenuCommand(window: BrowserWindow | null, command: MenuCommand): boolean {
  const parsed = MenuCommandEventSchema.safeParse({ type: 'menu', command });
  if (!parsed.success) {
    console.warn(`Refused to send menu command ${JSON.stringify(command)}: not a menu command`);
    return false;
  }
  if (!window || window.isDestroyed()) return false;
  window.webContents.send(EVENT_CHANNEL, parsed.data);
  return true;
}

/**
 * Opens `folder` in the file manager, creating it first (the logs folder appears only once
 * something is logged, the runs folder with the first run); a dialog says why when the OS cannot.
 */
export async function openFolder(folder: string, window: BrowserWindow | null): Promise<void> {
  await mkdir(folder, { recursive: true }).catch(() => undefined); // openPath says what is wrong
  const problem = await shell.openPath(folder);
  if (!problem) return;
  const options: Electron.MessageBoxOptions = { type: 'error', message: `Could not open ${folder}`, detail: problem };
  await (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
}
