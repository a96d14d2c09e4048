/**
 * The application menu: File, Edit, View, Window, Help (on macOS the app menu first), with
 * accelerators for what people do most. `menuTemplate` is pure, so the menu is tested without
 * Electron; `setupMenu` installs it. Commands for the window go out as `menu` events
 * (common/menu-commands.ts) and the renderer does what the matching button does.
 */
import { Menu, app } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_VIEWS, showCommand } from '../../common/menu-commands';
import type { MenuCommand, MenuView } from '../../common/menu-commands';

/**
 * The accelerators, in Electron's notation. Electron runs a menu accelerator only for a key
 * press the page leaves unhandled, so inside a text field its own editing keys win
 * (Ctrl+Backspace deletes a word there, Cmd+Backspace a line) and the pad's commands act
 * everywhere else. The pad's keys avoid Alt: Option+letter types a character on macOS, and
 * Windows reads AltGr, which types ż or @ on many layouts, as Ctrl+Alt. Edit ▸ Undo keeps
 * CmdOrCtrl+Z for text.
 */
export const ACCELERATORS = {
  startTraining: 'CmdOrCtrl+Enter',
  // Cmd+. is macOS's own "cancel"; no text field uses Ctrl+. on Windows or Linux.
  stopTraining: 'CmdOrCtrl+.',
  // Backspace takes away the last thing made, Shift makes it all of it.
  undoStroke: 'CmdOrCtrl+Backspace',
  clearPad: 'CmdOrCtrl+Shift+Backspace',
  openRunsFolder: 'CmdOrCtrl+Shift+O',
  openLogsFolder: 'CmdOrCtrl+Shift+L',
} as const;

/** The view tabs as the View menu lists them, ⌘1…⌘5 in tab order. */
const VIEW_LABELS: Record<MenuView, string> = { train: 'Train', sweeps: 'Sweeps', runs: 'Runs', draw: 'Draw', test: 'Test set' };

/** What the menu's items do; each is called on a click or its accelerator. */
export interface MenuActions {
  /** Hands a command to the window's renderer. */
  send(command: MenuCommand): void;
  openRunsFolder(): void;
  openLogsFolder(): void;
  showAbout(): void;
}

/** Where the menu is built: the platform decides its shape, a packaged build drops the developer items. */
export interface MenuOptions {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  appName: string;
}

/** The menu as Electron's template: pure, one top-level entry per menu. */
export function menuTemplate(options: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  // Windows and Linux open a menu with Alt and its underlined letter; macOS has no mnemonics.
  const title = (name: string): string => (isMac ? name : `&${name}`);
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const about: MenuItemConstructorOptions = { id: 'about', label: `About ${options.appName}`, click: () => actions.showAbout() };
  const command = (id: MenuCommand, label: string, accelerator?: string): MenuItemConstructorOptions => ({
    id,
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => actions.send(id),
  });

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      about,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
  const file: MenuItemConstructorOptions = {
    label: title('File'),
    submenu: [
      command('start-training', 'Start training', ACCELERATORS.startTraining),
      command('stop-training', 'Stop training', ACCELERATORS.stopTraining),
      separator,
      {
        id: 'open-runs-folder',
        label: 'Open runs folder',
        accelerator: ACCELERATORS.openRunsFolder,
        click: () => actions.openRunsFolder(),
      },
      separator,
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: title('Edit'),
    // The roles keep undo, copy and paste working in every text field of the window.
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      separator,
      command('undo-stroke', 'Undo stroke', ACCELERATORS.undoStroke),
      command('clear-pad', 'Clear pad', ACCELERATORS.clearPad),
    ],
  };
  const developer: MenuItemConstructorOptions[] = options.isPackaged ? [] : [{ role: 'reload' }, { role: 'toggleDevTools' }, separator];
  const view: MenuItemConstructorOptions = {
    label: title('View'),
    submenu: [
      ...MENU_VIEWS.map((v, i) => command(showCommand(v), VIEW_LABELS[v], `CmdOrCtrl+${i + 1}`)),
      separator,
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: title('Window'),
    submenu: isMac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemConstructorOptions = {
    label: title('Help'),
    role: 'help',
    submenu: [
      {
        id: 'open-logs-folder',
        label: 'Open logs folder',
        accelerator: ACCELERATORS.openLogsFolder,
        click: () => actions.openLogsFolder(),
      },
      ...(isMac ? [] : [separator, about]),
    ],
  };
  return [...(isMac ? [appMenu] : []), file, edit, view, window, help];
}

/** Builds the menu for this platform and build and makes it the application menu. */
export function setupMenu(actions: MenuActions): void {
  const template = menuTemplate({ platform: process.platform, isPackaged: app.isPackaged, appName: app.name }, actions);
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
