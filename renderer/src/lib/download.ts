/**
 * Saving text the renderer made itself (the sweep's CSV) as a file, through the bridge's
 * saveTextFile: in the desktop app main's native save dialog picks the place (Electron turns a
 * page's `<a download>` into a navigation, which the security settings refuse:
 * electron/electron#44375); in browser mode it lands in the browser's downloads.
 */
import type { LstmBridge } from '../../../common/api';

/** A byte-order mark: without it Excel reads a UTF-8 CSV as the system's legacy code page (names garble). */
export const UTF8_BOM = '\uFEFF';

/** Saves `text` as `fileName`; where it went, or null when the person cancelled. */
export async function saveText(bridge: LstmBridge, fileName: string, text: string): Promise<string | null> {
  const saved = await bridge.saveTextFile({ fileName, text });
  return saved?.path ?? null;
}
