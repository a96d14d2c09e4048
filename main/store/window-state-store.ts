/**
 * The main window's size, position and maximised state between launches: one small JSON file in
 * the data folder, written atomically and validated on load. A missing, damaged or foreign file
 * reads as "nothing saved", never as an error: the window then opens at its default size.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic, writeFileAtomicSync } from './atomic';

/** The file's name in the data folder (beside data/, runs/ and sweeps/). */
export const WINDOW_STATE_FILE = 'window-state.json';

/** Screen coordinates in device-independent pixels, as Electron's Rectangle. */
const coordinate = z.number().int().min(-100_000).max(100_000);
const length = z.number().int().min(1).max(100_000);

export const WindowStateSchema = z
  .object({
    formatVersion: z.literal(1),
    /** The window's bounds when not maximised (Electron's getNormalBounds). */
    bounds: z.object({ x: coordinate, y: coordinate, width: length, height: length }).strict(),
    isMaximized: z.boolean(),
  })
  .strict();
export type WindowState = z.infer<typeof WindowStateSchema>;

/** `<dataRoot>/window-state.json`. */
export function windowStatePath(dataRoot: string): string {
  return path.join(dataRoot, WINDOW_STATE_FILE);
}

/** The saved state, or null when there is none or it cannot be trusted (a warning says why). */
export function readWindowState(file: string): WindowState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null; // the first launch, or a removed file: the defaults will do
  }
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    console.warn(`${file}: not a window state (${parsed.error.issues[0]?.message ?? 'unexpected shape'}); using the default size`);
  } catch {
    console.warn(`${file}: not valid JSON; using the default size`);
  }
  return null;
}

/** Saves `state` atomically (temp file, then rename). */
export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, serialise(state));
}

/** Saves `state` atomically, blocking: for the moment the window closes and the app may exit. */
export function writeWindowStateSync(file: string, state: WindowState): void {
  writeFileAtomicSync(file, serialise(state));
}

function serialise(state: WindowState): string {
  return `${JSON.stringify(WindowStateSchema.parse(state), null, 2)}\n`;
}
