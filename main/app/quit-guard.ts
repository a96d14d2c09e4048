/**
 * Asks before quitting, or closing the window, while a run or sweep is in progress: a native
 * dialog says what happens to the work (quit-prompt.ts). Quit goes on and quits; Cancel leaves
 * everything as it was.
 */
import { app, dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import type { StudioApi } from '../../common/api';
import { QUIT_RESPONSE, quitPrompt, quitVerdict } from './quit-prompt';
import type { QuitContext, QuitTrigger } from './quit-prompt';

/** What the guard reads from the service. */
export interface QuitGuardService extends Pick<StudioApi, 'getStatus' | 'listResumable'> {
  /** What runs now, answered at once: the decision is taken inside the event. */
  readonly activity: { runId: string | null; sweepId: string | null };
}

/** How long the dialog waits for the service's details before asking without them. */
export const DESCRIBE_TIMEOUT_MS = 2_000;

const NOTHING_KNOWN: QuitContext = { run: null, checkpoint: null, sweep: null };

/** Guards `before-quit` and every window's `close`. */
export function setupQuitConfirmation(service: QuitGuardService, getWindow: () => BrowserWindow | null): void {
  const state = { isConfirmed: false, isAsking: false };
  const guard = (trigger: QuitTrigger, event: { preventDefault(): void }): void => {
    const { runId, sweepId } = service.activity;
    const verdict = quitVerdict(trigger, { ...state, isBusy: runId !== null || sweepId !== null }, process.platform);
    if (verdict === 'go-ahead') return;
    event.preventDefault();
    if (verdict === 'hold') return; // the question is on screen already
    state.isAsking = true;
    void confirmQuit(service, getWindow()).then((isConfirmed) => {
      state.isAsking = false;
      if (!isConfirmed) return;
      state.isConfirmed = true;
      // will-quit (index.ts) disposes the service, which ends the workers.
      app.quit();
    });
  };
  app.on('before-quit', (event) => guard('quit', event));
  app.on('browser-window-created', (_event, window) => window.on('close', (event) => guard('close-window', event)));
}

/** Shows the confirmation; true when the person chose Quit. */
export async function confirmQuit(service: QuitGuardService, window: BrowserWindow | null): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<QuitContext>((resolve) => (timer = setTimeout(() => resolve(NOTHING_KNOWN), DESCRIBE_TIMEOUT_MS)));
  const context = await Promise.race([describeWork(service).catch(() => NOTHING_KNOWN), timeout]).finally(() => clearTimeout(timer));
  const options: Electron.MessageBoxOptions = { type: 'warning', noLink: true, ...quitPrompt(context) };
  const { response } =
    window && !window.isDestroyed() ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return response === QUIT_RESPONSE;
}

/** What the service can say about the work in progress: how far the run is, its checkpoint, its sweep. */
export async function describeWork(service: QuitGuardService): Promise<QuitContext> {
  const [status, resumable] = await Promise.all([service.getStatus(), service.listResumable()]);
  const live = status.live?.started.runId === status.runId ? status.live : null;
  const saved = resumable.find((r) => r.runId === status.runId);
  const sweep = status.sweep?.status === 'running' ? status.sweep : null;
  return {
    run: status.runId
      ? {
          iteration: live?.progress?.iteration ?? null,
          totalIterations: live?.progress?.totalIterations ?? live?.started.totalIterations ?? null,
        }
      : null,
    checkpoint: saved ? { name: saved.name, iteration: saved.iteration, totalIterations: saved.totalIterations } : null,
    sweep: sweep ? { name: sweep.name, trial: sweep.currentTrial, trialCount: sweep.trialCount } : null,
  };
}
