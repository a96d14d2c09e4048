/**
 * The commands the application menu (main/app/menu.ts) sends the window, one way, as a closed
 * list. They travel on EVENT_CHANNEL beside the service's events; main checks each against the
 * schema before sending it and the renderer again before acting on it, so nothing but these
 * commands can arrive that way.
 */
import { z } from 'zod';

/** The views a menu command can show, in the order of the window's tabs (the renderer's VIEWS). */
export const MENU_VIEWS = ['train', 'sweeps', 'runs', 'draw', 'test'] as const;
export type MenuView = (typeof MENU_VIEWS)[number];

/** Every menu command: each does what the matching button in the window does. */
export const MENU_COMMANDS = [
  'start-training',
  'stop-training',
  'show-train',
  'show-sweeps',
  'show-runs',
  'show-draw',
  'show-test',
  'clear-pad',
  'undo-stroke',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** A menu command as the window receives it. */
export const MenuCommandEventSchema = z.object({ type: z.literal('menu'), command: z.enum(MENU_COMMANDS) }).strict();
export type MenuCommandEvent = z.infer<typeof MenuCommandEventSchema>;

/** The command that shows `view` (it compiles only while MENU_COMMANDS has a `show-…` for every view). */
export function showCommand(view: MenuView): MenuCommand {
  return `show-${view}`;
}

/** The view a `show-…` command shows; null for every other command. */
export function viewOf(command: MenuCommand): MenuView | null {
  const view = command.startsWith('show-') ? command.slice('show-'.length) : null;
  return MENU_VIEWS.find((v) => v === view) ?? null;
}
