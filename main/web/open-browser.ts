/**
 * Opens a URL in the person's default browser, the way each desktop does it. Best effort: the
 * URL is always printed too, and a machine with no desktop (a server reached over SSH) simply
 * has nothing to open it with. `BROWSER=none` turns it off, as create-react-app and Vite honour.
 */
import { spawn } from 'node:child_process';

/** The command that opens a URL on this platform, or null where there is none to try. */
export function openCommand(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): [string, string[]] | null {
  if (env.BROWSER === 'none') return null;
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd built-in; its first quoted argument is a window title.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return ['xdg-open', [url]];
}

/** Starts the opener detached and forgets it; true when there was one to start. */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): boolean {
  const command = openCommand(url, platform, env);
  if (!command) return false;
  const child = spawn(command[0], command[1], { detached: true, stdio: 'ignore', windowsHide: true });
  child.on('error', () => undefined); // no xdg-open installed: the printed URL is the way in
  child.unref();
  return true;
}
