/**
 * Channel names and the error-message convention of the IPC contract, free of zod so that the
 * sandboxed preload bundle stays small. `api.ts` re-exports all of it; import from there.
 */
import type { ErrorCode, StudioMethod, WireError } from './api';

/** IPC channel for a method: `lstm:` plus its name. */
export const channelFor = (method: StudioMethod): string => `lstm:${method}`;

/** The one channel main pushes StudioEvents on. */
export const EVENT_CHANNEL = 'lstm:event';

/**
 * contextBridge copies only an Error's `message` into the page, so the code travels inside it:
 * "[busy] A training run is already in progress…". The renderer reads it back with
 * `parseBridgeErrorMessage`.
 */
export function bridgeErrorMessage(error: WireError): string {
  return `[${error.code}] ${error.message}`;
}

/** The code and message from a `bridgeErrorMessage` string, or null for any other text. */
export function parseBridgeErrorMessage(text: string, isCode: (code: string) => code is ErrorCode): WireError | null {
  const match = /^\[([a-z-]+)\]\s*(.*)$/s.exec(text);
  return match && isCode(match[1]) ? { code: match[1], message: match[2] } : null;
}
