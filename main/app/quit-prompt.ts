/**
 * Whether quitting (or closing the window) mid-run needs a confirmation, and what it says. Pure:
 * quit-guard.ts asks Electron. What it promises is what happens: quitting ends the worker, a
 * run's last checkpoint (saved every few hundred iterations, replaced in one rename) stays on
 * disk, and the next launch offers to resume it; Stop instead saves the run as it is.
 */

/** What is asking to end: the app quitting, or the window closing (which quits it except on macOS). */
export type QuitTrigger = 'quit' | 'close-window';

/** Where the guard is. */
export interface QuitGuardState {
  /** A run or sweep is in progress. */
  isBusy: boolean;
  /** The person has already said yes: let every later close and quit through. */
  isConfirmed: boolean;
  /** A confirmation is on screen. */
  isAsking: boolean;
}

/** Let the quit through, hold it and ask, or hold it while the question already asked is answered. */
export type QuitVerdict = 'go-ahead' | 'ask' | 'hold';

/** What to do with a quit or a window close. */
export function quitVerdict(trigger: QuitTrigger, state: QuitGuardState, platform: NodeJS.Platform): QuitVerdict {
  if (state.isConfirmed || !state.isBusy) return 'go-ahead';
  // On macOS the app, and the run, go on without a window; the dock icon brings it back.
  if (trigger === 'close-window' && platform === 'darwin') return 'go-ahead';
  return state.isAsking ? 'hold' : 'ask';
}

/** What the confirmation can say about the work in progress. */
export interface QuitContext {
  /** The run training now: how far it is (null before its first progress report). */
  run: { iteration: number | null; totalIterations: number | null } | null;
  /** Its latest checkpoint on disk; null when it has saved none yet. */
  checkpoint: { name: string; iteration: number; totalIterations: number } | null;
  /** The sweep it is a trial of; null for a run of its own. */
  sweep: { name: string; trial: number | null; trialCount: number } | null;
}

/** The confirmation's text and buttons; button QUIT_RESPONSE quits. */
export interface QuitPrompt {
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

export const QUIT_RESPONSE = 0;

/** The confirmation for `context`. Cancel is the default, so Enter or Escape keeps the run going. */
export function quitPrompt(context: QuitContext): QuitPrompt {
  const { run, checkpoint, sweep } = context;
  const where = run?.iteration
    ? ` at iteration ${count(run.iteration)}${run.totalIterations ? ` of ${count(run.totalIterations)}` : ''}`
    : '';
  const kept = checkpoint ? `after iteration ${count(checkpoint.iteration)} of ${count(checkpoint.totalIterations)}` : null;
  const lines = sweep
    ? [
        `Quitting stops sweep “${sweep.name}”${sweep.trial !== null ? ` in trial ${sweep.trial + 1} of ${sweep.trialCount}` : ''}${where}; its finished trials are saved.`,
        kept
          ? `The current trial’s last checkpoint, ${kept}, is kept: resuming the sweep in the Sweeps view continues the trial from there.`
          : 'The current trial has no checkpoint yet: resuming the sweep in the Sweeps view starts that trial again.',
      ]
    : [
        `Quitting stops the run${where}.`,
        kept
          ? `Its last checkpoint, ${kept}, is kept: next time, the Train view offers to resume “${checkpoint?.name}” from there.`
          : 'It has not saved a checkpoint yet, so it cannot be resumed.',
        'To save the run as it is now instead, with its test-set score, choose Cancel and press Stop.',
      ];
  return {
    title: 'Quit LSTM Studio?',
    message: sweep ? 'A sweep is running. Quit anyway?' : 'A training run is in progress. Quit anyway?',
    detail: lines.join('\n\n'),
    buttons: ['Quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
}

function count(n: number): string {
  return n.toLocaleString('en');
}
