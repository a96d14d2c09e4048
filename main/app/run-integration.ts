/**
 * Tells the OS a run is going on: the window's taskbar/dock progress, a power-save blocker that
 * keeps the machine from sleeping mid-run, and a system notification when a long run or sweep
 * ends while the person looks elsewhere. The decisions are run-activity.ts's; this file only
 * carries them out through Electron. Notifications come from main, so the renderer's
 * permission handler can keep saying no to every web permission.
 */
import { app, Notification, powerSaveBlocker } from 'electron';
import type { BrowserWindow } from 'electron';
import type { StudioEvent } from '../../common/api';
import type { Logger } from '../service/logger';
import { RunActivity } from './run-activity';
import type { RunAction } from './run-activity';

export interface RunIntegrationOptions {
  getWindow(): BrowserWindow | null;
  /** Brings the window to the front (opening one if there is none): what clicking a notification does. */
  focusWindow(): void;
  logger: Logger;
  now?: () => number;
}

/** Follows the service's events until the app quits; returns the teardown (which also releases the blocker). */
export function setupRunIntegration(
  service: { onEvent(callback: (event: StudioEvent) => void): () => void },
  options: RunIntegrationOptions,
): () => void {
  const activity = new RunActivity();
  const now = options.now ?? Date.now;
  let blockerId: number | null = null;
  // Held until the next one: a Notification nothing refers to may be collected, and its click lost.
  let notification: Notification | null = null;

  const apply = (action: RunAction): void => {
    switch (action.type) {
      case 'setProgress':
        return withWindow(options, (window) => window.setProgressBar(action.fraction));
      case 'clearProgress':
        return withWindow(options, (window) => window.setProgressBar(-1));
      case 'startBlocker':
        // Lets the screen turn off but keeps the system awake: training needs the CPU, not the display.
        blockerId ??= powerSaveBlocker.start('prevent-app-suspension');
        return;
      case 'stopBlocker':
        if (blockerId !== null) powerSaveBlocker.stop(blockerId);
        blockerId = null;
        return;
      case 'notify':
        notification = showNotification(action.title, action.body, options) ?? notification;
        return;
    }
  };
  const applyAll = (actions: RunAction[]): void => {
    for (const action of actions) {
      try {
        apply(action);
      } catch (err) {
        options.logger.warn(`Could not ${action.type}:`, err); // the OS refusing a progress bar must not stop the rest
      }
    }
  };

  const offEvents = service.onEvent((event) => {
    const window = options.getWindow();
    const isWindowFocused = !!window && !window.isDestroyed() && window.isFocused();
    applyAll(activity.observe(event, { nowMs: now(), isWindowFocused }));
  });
  let isTornDown = false;
  const teardown = (): void => {
    if (isTornDown) return;
    isTornDown = true;
    offEvents();
    applyAll(activity.quit());
  };
  app.on('will-quit', teardown);
  return teardown;
}

function withWindow(options: RunIntegrationOptions, use: (window: BrowserWindow) => void): void {
  const window = options.getWindow();
  if (window && !window.isDestroyed()) use(window);
}

function showNotification(title: string, body: string, options: RunIntegrationOptions): Notification | null {
  if (!Notification.isSupported()) return null;
  const notification = new Notification({ title, body });
  notification.on('click', () => options.focusWindow());
  notification.show();
  return notification;
}
