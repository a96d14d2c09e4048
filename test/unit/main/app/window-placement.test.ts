import { describe, expect, it } from 'vitest';
import { MIN_VISIBLE_PX, isReachable, placeWindow } from '../../../../main/app/window-placement';
import type { WindowState } from '../../../../main/store/window-state-store';

const SIZES = { width: 1280, height: 800, minWidth: 1024, minHeight: 700 };
/** A 1920 × 1080 laptop screen (its work area less a 40 px task bar) and a second screen to its left. */
const LAPTOP = { x: 0, y: 0, width: 1920, height: 1040 };
const LEFT_SCREEN = { x: -2560, y: 0, width: 2560, height: 1400 };

function saved(bounds: WindowState['bounds'], isMaximized = false): WindowState {
  return { formatVersion: 1, bounds, isMaximized };
}

describe('placeWindow()', () => {
  it('opens at the default size, centred, with nothing saved', () => {
    expect(placeWindow(null, [LAPTOP], SIZES)).toEqual({ width: 1280, height: 800, isMaximized: false });
  });

  it('restores saved bounds that are on a display', () => {
    const bounds = { x: 100, y: 50, width: 1400, height: 900 };
    expect(placeWindow(saved(bounds), [LAPTOP], SIZES)).toEqual({ ...bounds, isMaximized: false });
    const onLeft = { x: -2000, y: 100, width: 1600, height: 1000 };
    expect(placeWindow(saved(onLeft), [LAPTOP, LEFT_SCREEN], SIZES)).toEqual({ ...onLeft, isMaximized: false });
  });

  it('rejects a position off every display: centred at the default size, still maximised', () => {
    // Saved on the left screen, which has since been unplugged.
    const onLeft = saved({ x: -2000, y: 100, width: 1600, height: 1000 }, true);
    expect(placeWindow(onLeft, [LAPTOP], SIZES)).toEqual({ width: 1280, height: 800, isMaximized: true });
    expect(placeWindow(saved({ x: 5000, y: 5000, width: 1280, height: 800 }), [LAPTOP], SIZES)).not.toHaveProperty('x');
  });

  it('rejects a window whose title bar is out of reach, above the screen or just a sliver on it', () => {
    expect(placeWindow(saved({ x: 100, y: -300, width: 1280, height: 800 }), [LAPTOP], SIZES)).not.toHaveProperty('x');
    const sliver = { x: LAPTOP.width - (MIN_VISIBLE_PX - 1), y: 100, width: 1280, height: 800 };
    expect(placeWindow(saved(sliver), [LAPTOP], SIZES)).not.toHaveProperty('x');
    const enough = { ...sliver, x: LAPTOP.width - MIN_VISIBLE_PX };
    expect(placeWindow(saved(enough), [LAPTOP], SIZES)).toHaveProperty('x', enough.x);
  });

  it('keeps the size between the window’s minimum and the largest display', () => {
    expect(placeWindow(saved({ x: 0, y: 0, width: 300, height: 200 }), [LAPTOP], SIZES)).toMatchObject({ width: 1024, height: 700 });
    expect(placeWindow(saved({ x: 0, y: 0, width: 9000, height: 9000 }), [LAPTOP], SIZES)).toMatchObject({ width: 1920, height: 1040 });
  });

  it('opens at the default size when no display is known', () => {
    expect(placeWindow(saved({ x: 0, y: 0, width: 1400, height: 900 }), [], SIZES)).toEqual({
      width: 1280,
      height: 800,
      isMaximized: false,
    });
  });
});

describe('isReachable()', () => {
  it('needs the top edge inside the work area', () => {
    expect(isReachable({ x: 10, y: 0, width: 500, height: 500 }, LAPTOP)).toBe(true);
    expect(isReachable({ x: 10, y: -1, width: 500, height: 500 }, LAPTOP)).toBe(false);
    expect(isReachable({ x: 10, y: LAPTOP.height - MIN_VISIBLE_PX + 1, width: 500, height: 500 }, LAPTOP)).toBe(false);
  });
});
