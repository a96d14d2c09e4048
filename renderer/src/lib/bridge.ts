/** Access to `window.lstm`, the only way the renderer reaches the rest of the app. */
import type { LstmBridge } from '../../../common/api';

/** The bridge, or null when the page runs without the preload (e.g. opened in a browser). */
export function getBridge(): LstmBridge | null {
  return typeof window !== 'undefined' && window.lstm ? window.lstm : null;
}
