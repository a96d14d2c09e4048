import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import type { ResumableRun, StudioStatus } from '../../../../common/api';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';

// The Electron stand-in: an app that emits and records quit(), a dialog that answers as told.
const { app, dialog } = await vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  return {
    app: Object.assign(new Emitter(), { quit: vi.fn() }),
    dialog: { showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 1, checkboxChecked: false })) },
  };
});
vi.mock('electron', () => ({ app, dialog }));

const { describeWork, setupQuitConfirmation } = await import('../../../../main/app/quit-guard');

const IDLE_STATUS: StudioStatus = { backend: 'wasm', backendNote: null, isTraining: false, runId: null, live: null, sweep: null };

function service(activity = { runId: 'r1' as string | null, sweepId: null as string | null }) {
  return {
    activity,
    getStatus: vi.fn(async (): Promise<StudioStatus> => ({ ...IDLE_STATUS, isTraining: activity.runId !== null, runId: activity.runId })),
    listResumable: vi.fn(async (): Promise<ResumableRun[]> => []),
  };
}

/** Emits `name` on `emitter` with an event whose preventDefault is recorded. */
function emitPreventable(emitter: EventEmitter, name: string): { preventDefault: ReturnType<typeof vi.fn> } {
  const event = { preventDefault: vi.fn() };
  emitter.emit(name, event);
  return event;
}

const answered = () => vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalled());

beforeEach(() => {
  app.removeAllListeners();
  app.quit.mockClear();
  dialog.showMessageBox.mockClear();
});

describe('setupQuitConfirmation()', () => {
  it('lets the app quit without asking when nothing runs', () => {
    setupQuitConfirmation(service({ runId: null, sweepId: null }), () => null);
    expect(emitPreventable(app, 'before-quit').preventDefault).not.toHaveBeenCalled();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('holds a quit mid-run and asks; Cancel leaves everything as it was', async () => {
    setupQuitConfirmation(service(), () => null);
    expect(emitPreventable(app, 'before-quit').preventDefault).toHaveBeenCalled();
    await answered();
    const options = dialog.showMessageBox.mock.calls[0].at(-1) as { buttons: string[]; detail: string };
    expect(options.buttons).toEqual(['Quit', 'Cancel']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(app.quit).not.toHaveBeenCalled();
    // Asked again next time: a cancel is not a yes.
    expect(emitPreventable(app, 'before-quit').preventDefault).toHaveBeenCalled();
  });

  it('quits after Quit, and lets that quit through', async () => {
    dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    setupQuitConfirmation(service(), () => null);
    emitPreventable(app, 'before-quit');
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(emitPreventable(app, 'before-quit').preventDefault).not.toHaveBeenCalled();
  });

  it('asks once however often the person presses Quit while the question is up', async () => {
    dialog.showMessageBox.mockImplementationOnce(() => new Promise(() => undefined)); // never answered
    setupQuitConfirmation(service(), () => null);
    emitPreventable(app, 'before-quit');
    await answered();
    expect(emitPreventable(app, 'before-quit').preventDefault).toHaveBeenCalled();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
  });

  it('guards every window’s close where closing the window quits the app', async () => {
    setupQuitConfirmation(service(), () => null);
    const window = new EventEmitter();
    app.emit('browser-window-created', {}, window);
    const close = emitPreventable(window, 'close');
    if (process.platform === 'darwin') {
      expect(close.preventDefault).not.toHaveBeenCalled(); // the run goes on without a window there
    } else {
      expect(close.preventDefault).toHaveBeenCalled();
      await answered();
    }
  });

  it('attaches the question to the window when there is one', async () => {
    const window = { isDestroyed: () => false } as unknown as BrowserWindow;
    setupQuitConfirmation(service(), () => window);
    emitPreventable(app, 'before-quit');
    await answered();
    expect(dialog.showMessageBox.mock.calls[0][0]).toBe(window);
  });
});

describe('describeWork()', () => {
  it('reads how far the run is and its checkpoint from the service', async () => {
    const started = {
      type: 'started' as const,
      runId: 'r1',
      totalIterations: 800,
      backend: 'wasm' as const,
      hyperparams: DEFAULT_HYPERPARAMS,
      seed: 1,
    };
    const progress = {
      type: 'progress' as const,
      runId: 'r1',
      iteration: 340,
      totalIterations: 800,
      epoch: 1,
      loss: 1,
      accuracy: 0.5,
      samplesPerSec: 1,
      elapsedMs: 1,
      etaMs: 1,
    };
    const fake = service();
    fake.getStatus.mockResolvedValue({
      ...IDLE_STATUS,
      isTraining: true,
      runId: 'r1',
      live: { started, progress, history: { train: [], validation: [] } },
    });
    fake.listResumable.mockResolvedValue([
      {
        runId: 'r1',
        name: 'LSTM 128',
        hyperparams: DEFAULT_HYPERPARAMS,
        iteration: 200,
        totalIterations: 800,
        savedAt: '2026-01-01T00:00:00Z',
      },
      {
        runId: 'old',
        name: 'older run',
        hyperparams: DEFAULT_HYPERPARAMS,
        iteration: 600,
        totalIterations: 800,
        savedAt: '2025-01-01T00:00:00Z',
      },
    ]);
    expect(await describeWork(fake)).toEqual({
      run: { iteration: 340, totalIterations: 800 },
      checkpoint: { name: 'LSTM 128', iteration: 200, totalIterations: 800 },
      sweep: null,
    });
  });

  it('has no checkpoint to mention for a run that has saved none, even when older runs have', async () => {
    const fake = service();
    fake.listResumable.mockResolvedValue([
      {
        runId: 'old',
        name: 'older run',
        hyperparams: DEFAULT_HYPERPARAMS,
        iteration: 600,
        totalIterations: 800,
        savedAt: '2025-01-01T00:00:00Z',
      },
    ]);
    expect((await describeWork(fake)).checkpoint).toBeNull();
  });
});
