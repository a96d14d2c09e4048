/**
 * Builds `window.lstm` from an ipcRenderer-like object: each StudioApi method (methods.ts) is one
 * `invoke` on its channel, whose IpcResult is unwrapped here (errors rethrown with their message and
 * code), and `onEvent` listens on EVENT_CHANNEL. Kept apart from index.ts so tests can pass a
 * fake ipcRenderer without Electron.
 */
// channels.ts, not api.ts: api.ts would pull all of zod into the sandboxed preload bundle.
import type { BridgeEvent, IpcResult, LstmBridge, StudioMethod, WireError } from '../common/api';
import { EVENT_CHANNEL, bridgeErrorMessage, channelFor } from '../common/channels';
import { apiFrom } from '../common/methods';

/** The ipcRenderer surface the bridge needs; nothing more reaches the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * An Error carrying the WireError's code. contextBridge copies only `message` to the page, so
 * the message carries the code too (`bridgeErrorMessage`: "[busy] …"); `code` is for callers
 * that no bridge sits between (tests).
 */
export class BridgeError extends Error {
  constructor(
    readonly code: WireError['code'],
    message: string,
  ) {
    super(bridgeErrorMessage({ code, message }));
    this.name = 'BridgeError';
  }
}

/** Creates the object exposed as `window.lstm`. */
export function createBridge(ipc: IpcRendererLike): LstmBridge {
  const call = async (method: StudioMethod, payload?: unknown): Promise<unknown> => unwrap(await ipc.invoke(channelFor(method), payload));
  return {
    ...apiFrom(call),
    onEvent(callback: (event: BridgeEvent) => void): () => void {
      // The page gets the payload only: the IpcRendererEvent would hand it `sender`. The renderer
      // checks a menu command against its schema before acting on it (state/menu-commands.ts).
      const listener = (_event: unknown, payload: unknown): void => callback(payload as BridgeEvent);
      ipc.on(EVENT_CHANNEL, listener);
      return () => void ipc.removeListener(EVENT_CHANNEL, listener);
    },
  } satisfies LstmBridge;
}

/** Turns an IpcResult into the value or a thrown BridgeError. */
export function unwrap<T>(result: unknown): T {
  if (!isIpcResult(result)) throw new BridgeError('internal', 'The main process sent a malformed reply.');
  if (result.ok) return result.value as T;
  throw new BridgeError(result.error.code, result.error.message);
}

function isIpcResult(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  // `{ ok: true }` alone is a method that returned nothing, after JSON (browser mode) dropped `value: undefined`.
  if (value.ok === true) return true;
  const error = (value as { error?: Partial<WireError> }).error;
  return value.ok === false && typeof error?.message === 'string' && typeof error.code === 'string';
}
