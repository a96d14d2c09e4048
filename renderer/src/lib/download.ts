/**
 * Saving what the renderer made itself (CSV tables, chart pictures) as a file, through the
 * bridge's saveTextFile and saveImageFile: in the desktop app main's native save dialog picks
 * the place (Electron turns a page's `<a download>` into a navigation, which the security
 * settings refuse: electron/electron#44375); in browser mode it lands in the browser's downloads.
 */
import type { LstmBridge } from '../../../common/api';

/** A byte-order mark: without it Excel reads a UTF-8 CSV as the system's legacy code page (names garble). */
export const UTF8_BOM = '\uFEFF';

/** Saves `text` as `fileName`; where it went, or null when the person cancelled. */
export async function saveText(bridge: LstmBridge, fileName: string, text: string): Promise<string | null> {
  const saved = await bridge.saveTextFile({ fileName, text });
  return saved?.path ?? null;
}

/** Saves a PNG given as base64 (no `data:` prefix) as `fileName`; where it went, or null when the person cancelled. */
export async function saveImage(bridge: LstmBridge, fileName: string, png: string): Promise<string | null> {
  const saved = await bridge.saveImageFile({ fileName, png });
  return saved?.path ?? null;
}

/** `name` as a file name ending in `.extension`: letters, digits, "-" and "_" only, so every system accepts it. */
export function fileNameOf(name: string, fallback: string, extension: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // "Ü" → "U" + a combining mark → "U"
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, ''); // a cut can end on a separator
  return `${safe || fallback}.${extension}`;
}
