/**
 * The application menu's commands (main/app/menu.ts), handled in one place: each does what the
 * matching button does. Browser mode has no menu, so none ever arrives there.
 */
import type { MenuCommand } from '../../../common/menu-commands';
import { viewOf } from '../../../common/menu-commands';
import { isMenuEvent, parseMenuCommand } from '../lib/menu-command';
import { drawPad } from './pad.svelte';
import { settings } from './settings.svelte';
import { studio } from './studio.svelte';
import { sweeps } from './sweeps.svelte';
import { training } from './training.svelte';

let unsubscribe: (() => void) | null = null;

/** Listens for menu commands on the bridge's events; later calls do nothing. */
export function connectMenuCommands(): void {
  if (unsubscribe || !studio.bridge) return;
  unsubscribe = studio.bridge.onEvent((event) => {
    if (!isMenuEvent(event)) return;
    const command = parseMenuCommand(event);
    if (command) runMenuCommand(command);
    else console.warn('Ignored a menu event that is not one of the menu commands:', event);
  });
}

/** Does what the button for `command` does. */
export function runMenuCommand(command: MenuCommand): void {
  const view = viewOf(command);
  if (view) {
    studio.view = view;
    return;
  }
  switch (command) {
    case 'start-training':
      return startFromForm();
    case 'stop-training':
      // During a sweep the run on screen is its trial, and Stop ends the sweep (as the Train view's button).
      return void (sweeps.isBusy ? sweeps.stop() : training.stop());
    case 'clear-pad':
    case 'undo-stroke':
      // A pad that is not showing holds nothing: switching to it shows an empty one.
      if (studio.view !== 'draw') studio.view = 'draw';
      else if (command === 'clear-pad') drawPad.clear();
      else drawPad.undo();
      return;
  }
}

/**
 * The Train view's Start with the form's current values: shown in the Train view, so the run's
 * progress, or the fields to fix, are in sight. Nothing starts while the form is invalid or a
 * run or sweep is going.
 */
function startFromForm(): void {
  studio.view = 'train';
  const validation = settings.validation;
  if (!validation.ok || training.isBusy || sweeps.isBusy) return;
  settings.save();
  void training.start(validation.request);
}
