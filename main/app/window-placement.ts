/**
 * Where the main window opens: at its saved bounds when they are still on a display that exists,
 * otherwise at the default size, centred. Pure (no Electron), so it is tested with plain numbers.
 */
import type { WindowState } from '../store/window-state-store';

/** A rectangle in screen coordinates (Electron's Rectangle). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The window's sizes: what it opens at without a saved state, and the least it may be. */
export interface WindowSizes {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** How to open the window: a position only when restoring one (Electron centres a window without). */
export interface WindowPlacement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  isMaximized: boolean;
}

/**
 * How much of the window's top edge, where the title bar is, must lie on one display's work area
 * for it to be restored there: enough to grab. A window left on a monitor that has since been
 * unplugged, or pushed above the top of the screen, would be out of reach.
 */
export const MIN_VISIBLE_PX = 64;

/**
 * The placement for `saved` on displays whose work areas are `workAreas`. The size is kept
 * within the window's minimum and the largest work area; the maximised state is restored either way.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], sizes: WindowSizes): WindowPlacement {
  const isMaximized = saved?.isMaximized ?? false;
  const bounds = saved?.bounds;
  if (!bounds || !workAreas.some((area) => isReachable(bounds, area))) {
    return { width: sizes.width, height: sizes.height, isMaximized };
  }
  const maxWidth = Math.max(sizes.minWidth, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(sizes.minHeight, ...workAreas.map((a) => a.height));
  return {
    x: bounds.x,
    y: bounds.y,
    width: clamp(bounds.width, sizes.minWidth, maxWidth),
    height: clamp(bounds.height, sizes.minHeight, maxHeight),
    isMaximized,
  };
}

/** True when the top edge of `window` lies inside `area`, at least MIN_VISIBLE_PX of it across and above the bottom. */
export function isReachable(window: Rect, area: Rect): boolean {
  const overlapX = Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x);
  const isTopInside = window.y >= area.y && window.y <= area.y + area.height - MIN_VISIBLE_PX;
  return isTopInside && overlapX >= Math.min(MIN_VISIBLE_PX, window.width);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
