/**
 * Reads a menu command off the bridge's event stream: only an event the closed schema of
 * common/menu-commands.ts accepts is acted on, whatever else arrives on the channel.
 */
import { MenuCommandEventSchema, type MenuCommand } from '../../../common/menu-commands';

/** The command `event` carries; null for any other event and for a malformed or unknown command. */
export function parseMenuCommand(event: unknown): MenuCommand | null {
  const parsed = MenuCommandEventSchema.safeParse(event);
  return parsed.success ? parsed.data.command : null;
}

/** True for an event that claims to be a menu command (`type: 'menu'`), valid or not. */
export function isMenuEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'menu';
}
