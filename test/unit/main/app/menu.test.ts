import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS } from '../../../../common/menu-commands';

// No Electron binary here: Menu records what it was asked to build and install.
const { installed } = vi.hoisted(() => ({ installed: [] as unknown[] }));
vi.mock('electron', () => ({
  app: { isPackaged: true, name: 'LSTM Studio' },
  Menu: {
    buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
    setApplicationMenu: (menu: unknown) => void installed.push(menu),
  },
}));

const { ACCELERATORS, menuTemplate, setupMenu } = await import('../../../../main/app/menu');

function actions() {
  return { send: vi.fn(), openRunsFolder: vi.fn(), openLogsFolder: vi.fn(), showAbout: vi.fn() };
}

function build(platform: NodeJS.Platform, isPackaged: boolean, spies = actions()) {
  return menuTemplate({ platform, isPackaged, appName: 'LSTM Studio' }, spies);
}

/** Every item under `template`, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

function byId(template: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  const found = items(template).find((item) => item.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
}

/** Runs an item's click as Electron would. */
function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

describe('menuTemplate()', () => {
  it('has File, Edit, View, Window and Help on Windows and Linux, with Alt mnemonics', () => {
    for (const platform of ['win32', 'linux'] as const) {
      expect(build(platform, true).map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    }
  });

  it('puts the app menu first on macOS, with About, Hide and Quit', () => {
    const template = build('darwin', true);
    expect(template.map((m) => m.label)).toEqual(['LSTM Studio', 'File', 'Edit', 'View', 'Window', 'Help']);
    const appMenu = template[0].submenu as MenuItemConstructorOptions[];
    expect(appMenu[0]).toMatchObject({ id: 'about', label: 'About LSTM Studio' });
    expect(appMenu.map((item) => item.role).filter(Boolean)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    // About lives in the app menu there, not in Help.
    expect(items(template.slice(1)).some((item) => item.id === 'about')).toBe(false);
  });

  it('puts About in Help on Windows and Linux, beside Open logs folder', () => {
    const help = build('linux', true).at(-1)?.submenu as MenuItemConstructorOptions[];
    expect(help.map((item) => item.id ?? item.type)).toEqual(['open-logs-folder', 'separator', 'about']);
  });

  it('gives the everyday commands their accelerators', () => {
    const template = build('linux', true);
    expect(byId(template, 'start-training').accelerator).toBe('CmdOrCtrl+Enter');
    expect(byId(template, 'stop-training').accelerator).toBe('CmdOrCtrl+.');
    expect(byId(template, 'undo-stroke').accelerator).toBe(ACCELERATORS.undoStroke);
    expect(byId(template, 'clear-pad').accelerator).toBe(ACCELERATORS.clearPad);
    expect(byId(template, 'open-runs-folder').accelerator).toBe(ACCELERATORS.openRunsFolder);
    expect(byId(template, 'open-logs-folder').accelerator).toBe(ACCELERATORS.openLogsFolder);
  });

  it('switches the five views with CmdOrCtrl+1…5 in tab order', () => {
    const view = build('win32', true)[2].submenu as MenuItemConstructorOptions[];
    const shown = view.filter((item) => typeof item.id === 'string' && item.id.startsWith('show-'));
    expect(shown.map((item) => [item.label, item.accelerator])).toEqual([
      ['Train', 'CmdOrCtrl+1'],
      ['Sweeps', 'CmdOrCtrl+2'],
      ['Runs', 'CmdOrCtrl+3'],
      ['Draw', 'CmdOrCtrl+4'],
      ['Test set', 'CmdOrCtrl+5'],
    ]);
  });

  it('uses no accelerator twice, nor one of the Edit roles’ (text fields keep undo, copy and paste)', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const accelerators = items(build(platform, false))
        .map((item) => item.accelerator)
        .filter(Boolean);
      expect(new Set(accelerators).size).toBe(accelerators.length);
      for (const taken of ['CmdOrCtrl+Z', 'CmdOrCtrl+Shift+Z', 'CmdOrCtrl+X', 'CmdOrCtrl+C', 'CmdOrCtrl+V', 'CmdOrCtrl+A']) {
        expect(accelerators).not.toContain(taken);
      }
    }
  });

  it('keeps the standard Edit roles', () => {
    const edit = build('linux', true)[1].submenu as MenuItemConstructorOptions[];
    expect(edit.map((item) => item.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('has zoom and full screen, and Reload and Toggle Developer Tools only when not packaged', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const packaged = items(build(platform, true)).map((item) => item.role);
      expect(packaged).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
      expect(packaged).not.toContain('reload');
      expect(packaged).not.toContain('forceReload');
      expect(packaged).not.toContain('toggleDevTools');
      const development = items(build(platform, false)).map((item) => item.role);
      expect(development).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    }
  });

  it('sends every menu command to the window, each from its own item', () => {
    const spies = actions();
    const template = build('linux', true, spies);
    for (const command of MENU_COMMANDS) click(byId(template, command));
    expect(spies.send.mock.calls.map(([command]) => command)).toEqual([...MENU_COMMANDS]);
  });

  it('opens the runs and logs folders and shows About through their actions', () => {
    const spies = actions();
    const template = build('win32', true, spies);
    click(byId(template, 'open-runs-folder'));
    click(byId(template, 'open-logs-folder'));
    click(byId(template, 'about'));
    expect(spies.openRunsFolder).toHaveBeenCalledTimes(1);
    expect(spies.openLogsFolder).toHaveBeenCalledTimes(1);
    expect(spies.showAbout).toHaveBeenCalledTimes(1);
    expect(spies.send).not.toHaveBeenCalled();
  });
});

describe('setupMenu()', () => {
  it('installs the template built for this platform, without developer items in a packaged app', () => {
    setupMenu(actions());
    expect(installed).toHaveLength(1);
    const { template } = installed[0] as { template: MenuItemConstructorOptions[] };
    expect(template.map((m) => m.label)).toContain(process.platform === 'darwin' ? 'File' : '&File');
    expect(items(template).map((item) => item.role)).not.toContain('toggleDevTools');
  });
});
