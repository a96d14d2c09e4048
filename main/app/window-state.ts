/**
 * Remembers the main window's size, position and maximised state: read once per window it opens,
 * placed only onto a display that still exists (window-placement.ts), saved a moment after each
 * move or resize, and once more as the window closes.
 */
import { screen } from 'electron';
import type { BrowserWindow } from 'electron';
import { readWindowState, writeWindowState, writeWindowStateSync } from '../store/window-state-store';
import type { WindowState } from '../store/window-state-store';
import { placeWindow } from './window-placement';
import type { WindowPlacement } from './window-placement';
import { WINDOW_SIZES } from './window';

/** How long after the last move or resize the state is saved: a drag sends dozens of events a second. */
export const SAVE_DELAY_MS = 500;

/** The window state for the windows main opens. */
export interface WindowStateKeeper {
  /** Where the next window opens. */
  placement(): WindowPlacement;
  /** Saves `window`'s state whenever it moves, resizes, maximises or closes. */
  track(window: BrowserWindow): void;
}

/** The keeper over the state saved in `file`. */
export function setupWindowState(file: string): WindowStateKeeper {
  return {
    placement: () =>
      placeWindow(
        readWindowState(file),
        screen.getAllDisplays().map((display) => display.workArea),
        WINDOW_SIZES,
      ),
    track: (window) => trackWindow(window, file),
  };
}

function trackWindow(window: BrowserWindow, file: string): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    timer = undefined;
    if (window.isDestroyed()) return;
    writeWindowState(file, stateOf(window)).catch((err: unknown) => console.warn(`Could not save the window's state to ${file}:`, err));
  };
  const saveSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  // Blocking on purpose: the app may quit right after the last window closes, before an await resumes.
  window.on('close', () => {
    clearTimeout(timer);
    try {
      writeWindowStateSync(file, stateOf(window));
    } catch (err) {
      console.warn(`Could not save the window's state to ${file}:`, err);
    }
  });
}

/** What to save: the bounds it returns to when un-maximised, and whether it is maximised. */
export function stateOf(window: BrowserWindow): WindowState {
  const { x, y, width, height } = window.getNormalBounds();
  // Whole pixels: at fractional display scaling the bounds may come back as fractions.
  const bounds = { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
  return { formatVersion: 1, bounds, isMaximized: window.isMaximized() };
}
