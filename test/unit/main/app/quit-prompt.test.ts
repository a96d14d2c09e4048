import { describe, expect, it } from 'vitest';
import { QUIT_RESPONSE, quitPrompt, quitVerdict } from '../../../../main/app/quit-prompt';
import type { QuitGuardState } from '../../../../main/app/quit-prompt';

const idle: QuitGuardState = { isBusy: false, isConfirmed: false, isAsking: false };
const busy: QuitGuardState = { ...idle, isBusy: true };

describe('quitVerdict()', () => {
  it('lets a quit through when nothing is running', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(quitVerdict('quit', idle, platform)).toBe('go-ahead');
      expect(quitVerdict('close-window', idle, platform)).toBe('go-ahead');
    }
  });

  it('asks before quitting mid-run, and before closing the window where that quits the app', () => {
    expect(quitVerdict('quit', busy, 'darwin')).toBe('ask');
    expect(quitVerdict('quit', busy, 'linux')).toBe('ask');
    expect(quitVerdict('close-window', busy, 'win32')).toBe('ask');
    expect(quitVerdict('close-window', busy, 'linux')).toBe('ask');
  });

  it('lets the window close on macOS mid-run: the app and the run go on', () => {
    expect(quitVerdict('close-window', busy, 'darwin')).toBe('go-ahead');
  });

  it('holds a second quit while the question is on screen, and lets everything through once confirmed', () => {
    expect(quitVerdict('quit', { ...busy, isAsking: true }, 'linux')).toBe('hold');
    expect(quitVerdict('close-window', { ...busy, isAsking: true }, 'win32')).toBe('hold');
    expect(quitVerdict('quit', { ...busy, isConfirmed: true }, 'linux')).toBe('go-ahead');
    expect(quitVerdict('close-window', { ...busy, isConfirmed: true }, 'win32')).toBe('go-ahead');
  });
});

describe('quitPrompt()', () => {
  it('says the run stops and its last checkpoint is kept, and where it can be resumed', () => {
    const prompt = quitPrompt({
      run: { iteration: 340, totalIterations: 800 },
      checkpoint: { name: 'LSTM 128', iteration: 200, totalIterations: 800 },
      sweep: null,
    });
    expect(prompt.message).toBe('A training run is in progress. Quit anyway?');
    expect(prompt.detail).toContain('stops the run at iteration 340 of 800');
    expect(prompt.detail).toContain('last checkpoint, after iteration 200 of 800, is kept');
    expect(prompt.detail).toContain('the Train view offers to resume “LSTM 128”');
    expect(prompt.detail).toContain('press Stop');
  });

  it('does not promise a resume before the first checkpoint', () => {
    const prompt = quitPrompt({ run: { iteration: 40, totalIterations: 800 }, checkpoint: null, sweep: null });
    expect(prompt.detail).toContain('has not saved a checkpoint yet, so it cannot be resumed');
    expect(prompt.detail).not.toContain('is kept');
  });

  it('tells a sweep that its finished trials are saved and how the current one resumes', () => {
    const withCheckpoint = quitPrompt({
      run: { iteration: 150, totalIterations: 400 },
      checkpoint: { name: 'trial 3', iteration: 100, totalIterations: 400 },
      sweep: { name: 'units sweep', trial: 2, trialCount: 6 },
    });
    expect(withCheckpoint.message).toBe('A sweep is running. Quit anyway?');
    expect(withCheckpoint.detail).toContain(
      'stops sweep “units sweep” in trial 3 of 6 at iteration 150 of 400; its finished trials are saved',
    );
    expect(withCheckpoint.detail).toContain('continues the trial from there');
    const without = quitPrompt({ run: null, checkpoint: null, sweep: { name: 'units sweep', trial: null, trialCount: 6 } });
    expect(without.detail).toContain('starts that trial again');
  });

  it('offers Quit and Cancel, Cancel being the default and the Escape answer', () => {
    const prompt = quitPrompt({ run: null, checkpoint: null, sweep: null });
    expect(prompt.buttons[QUIT_RESPONSE]).toBe('Quit');
    expect(prompt.buttons[prompt.cancelId]).toBe('Cancel');
    expect(prompt.defaultId).toBe(prompt.cancelId);
  });
});
