import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { readWindowState, windowStatePath } from '../../../../main/store/window-state-store';

// The stand-in's screen: the displays the test says are plugged in.
const { displays } = vi.hoisted(() => ({ displays: [] as { workArea: { x: number; y: number; width: number; height: number } }[] }));
vi.mock('electron', () => ({ screen: { getAllDisplays: () => displays }, BrowserWindow: class {} }));

const { SAVE_DELAY_MS, setupWindowState } = await import('../../../../main/app/window-state');

/** A window that moves and maximises when told to, emitting what Electron's would. */
class FakeWindow extends EventEmitter {
  bounds = { x: 100, y: 80, width: 1300, height: 820 };
  isMaximizedNow = false;
  getNormalBounds = () => this.bounds;
  isMaximized = () => this.isMaximizedNow;
  isDestroyed = () => false;
  moveTo(x: number, y: number): void {
    this.bounds = { ...this.bounds, x, y };
    this.emit('move');
  }
}

let root: string;
let file: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-window-state-'));
  file = windowStatePath(root);
  displays.length = 0;
  displays.push({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('setupWindowState()', () => {
  it('opens the first window at the default size, centred', () => {
    expect(setupWindowState(file).placement()).toEqual({ width: 1280, height: 800, isMaximized: false });
  });

  it('saves a moment after the window stops moving, once, and restores it there next time', async () => {
    vi.useFakeTimers();
    const keeper = setupWindowState(file);
    const window = new FakeWindow();
    keeper.track(window as unknown as BrowserWindow);
    for (let x = 100; x < 400; x += 50) window.moveTo(x, 90);
    expect(existsSync(file)).toBe(false); // still being dragged
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    vi.useRealTimers();
    await vi.waitFor(() => expect(readWindowState(file)?.bounds).toEqual({ x: 350, y: 90, width: 1300, height: 820 }));
    expect(keeper.placement()).toEqual({ x: 350, y: 90, width: 1300, height: 820, isMaximized: false });
  });

  it('saves at once when the window closes, with its maximised state and un-maximised bounds', () => {
    const keeper = setupWindowState(file);
    const window = new FakeWindow();
    keeper.track(window as unknown as BrowserWindow);
    window.isMaximizedNow = true;
    window.emit('close');
    expect(readWindowState(file)).toEqual({ formatVersion: 1, bounds: { x: 100, y: 80, width: 1300, height: 820 }, isMaximized: true });
    expect(keeper.placement()).toMatchObject({ x: 100, y: 80, isMaximized: true });
  });

  it('places a window saved on a display that is gone at the default size, centred', () => {
    const keeper = setupWindowState(file);
    const window = new FakeWindow();
    window.bounds = { x: -2000, y: 100, width: 1500, height: 900 };
    keeper.track(window as unknown as BrowserWindow);
    window.emit('close');
    expect(keeper.placement()).toEqual({ width: 1280, height: 800, isMaximized: false });
    displays.push({ workArea: { x: -2560, y: 0, width: 2560, height: 1400 } }); // plugged back in
    expect(keeper.placement()).toEqual({ x: -2000, y: 100, width: 1500, height: 900, isMaximized: false });
  });

  it('opens at the default size over a damaged file, without throwing', () => {
    writeFileSync(file, '{"formatVersion":1,"bounds":');
    expect(setupWindowState(file).placement()).toEqual({ width: 1280, height: 800, isMaximized: false });
  });

  it('rounds fractional bounds from a scaled display to whole pixels', () => {
    const keeper = setupWindowState(file);
    const window = new FakeWindow();
    window.bounds = { x: 100.4, y: 80.6, width: 1300.5, height: 820.2 };
    keeper.track(window as unknown as BrowserWindow);
    window.emit('close');
    expect(readWindowState(file)?.bounds).toEqual({ x: 100, y: 81, width: 1301, height: 820 });
  });
});
