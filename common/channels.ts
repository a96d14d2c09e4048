/**
 * The wire conventions of the contract: error codes and the shape of an error on the wire,
 * channel names, and the error-message convention. Free of zod (and of api.ts, which
 * re-exports all of it) so that the sandboxed preload bundle stays small and nothing here
 * imports back up.
 */

/** Every error that crosses a boundary carries one of these codes. */
export const ERROR_CODES = [
  'invalid-input',
  'busy',
  'not-found',
  'dataset-missing',
  'dataset-corrupt',
  'model-corrupt',
  'sweep-corrupt',
  'diverged',
  'worker-crashed',
  'queue-unreachable',
  'disk',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it travels over IPC or the worker port (ipcMain.handle keeps only `message`). */
export interface WireError {
  code: ErrorCode;
  message: string;
}

/** IPC channel for a method (a StudioMethod): `lstm:` plus its name. */
export const channelFor = (method: string): string => `lstm:${method}`;

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
