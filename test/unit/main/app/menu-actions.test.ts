import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { EVENT_CHANNEL } from '../../../../common/api';
import type { MenuCommand } from '../../../../common/menu-commands';

// The Electron stand-in records what main asks of the shell and dialogs.
const { calls } = vi.hoisted(() => ({
  calls: { openPath: [] as string[], openPathAnswer: '', messageBoxes: [] as unknown[], logsPath: '' },
}));
vi.mock('electron', () => ({
  app: { getPath: (name: string) => (name === 'logs' ? calls.logsPath : '/nowhere') },
  shell: { openPath: async (folder: string) => (calls.openPath.push(folder), calls.openPathAnswer) },
  dialog: { showMessageBox: async (...args: unknown[]) => (calls.messageBoxes.push(args.at(-1)), { response: 0 }) },
  clipboard: { writeText: () => undefined },
}));

const { menuActions, openFolder, sendMenuCommand } = await import('../../../../main/app/menu-actions');

function windowWith(isDestroyed = false) {
  const send = vi.fn();
  return { window: { isDestroyed: () => isDestroyed, webContents: { send } } as unknown as BrowserWindow, send };
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-menu-'));
  calls.openPath = [];
  calls.openPathAnswer = '';
  calls.messageBoxes = [];
  calls.logsPath = path.join(root, 'logs');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('sendMenuCommand()', () => {
  it('sends a menu event with the command on EVENT_CHANNEL', () => {
    const { window, send } = windowWith();
    expect(sendMenuCommand(window, 'undo-stroke')).toBe(true);
    expect(send).toHaveBeenCalledWith(EVENT_CHANNEL, { type: 'menu', command: 'undo-stroke' });
  });

  it('refuses a command outside the closed list, sending nothing', () => {
    const { window, send } = windowWith();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(sendMenuCommand(window, 'delete-all-runs' as MenuCommand)).toBe(false);
    expect(sendMenuCommand(window, { command: 'start-training' } as unknown as MenuCommand)).toBe(false);
    expect(send).not.toHaveBeenCalled();
  });

  it('sends nothing without a window, or to a destroyed one', () => {
    expect(sendMenuCommand(null, 'show-draw')).toBe(false);
    const { window, send } = windowWith(true);
    expect(sendMenuCommand(window, 'show-draw')).toBe(false);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('openFolder()', () => {
  it('creates the folder if need be and opens it in the file manager', async () => {
    const folder = path.join(root, 'logs');
    await openFolder(folder, null);
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(calls.openPath).toEqual([folder]);
    expect(calls.messageBoxes).toEqual([]);
  });

  it('says why in a dialog when the system cannot open it', async () => {
    calls.openPathAnswer = 'No application knows how to open it';
    await openFolder(path.join(root, 'runs'), null);
    expect(calls.messageBoxes).toEqual([expect.objectContaining({ type: 'error', detail: 'No application knows how to open it' })]);
  });
});

describe('menuActions()', () => {
  it('opens the runs folder it was given and the platform logs folder', async () => {
    const runsDir = path.join(root, 'runs');
    const actions = menuActions({ getWindow: () => null, runsDir, engine: () => null });
    actions.openRunsFolder();
    actions.openLogsFolder();
    await vi.waitFor(() => expect(calls.openPath).toHaveLength(2));
    expect(calls.openPath.sort()).toEqual([calls.logsPath, runsDir].sort());
  });

  it('sends commands to the window it is given at the time', () => {
    const { window, send } = windowWith();
    let current: BrowserWindow | null = null;
    const actions = menuActions({ getWindow: () => current, runsDir: root, engine: () => null });
    actions.send('start-training'); // no window yet: nothing to send to
    current = window;
    actions.send('stop-training');
    expect(send.mock.calls).toEqual([[EVENT_CHANNEL, { type: 'menu', command: 'stop-training' }]]);
  });
});
