/**
 * The pure half of the IPC boundary, shared by `ipc.ts` (Electron) and the e2e harness
 * (HTTP): refuse untrusted senders, parse the payload with the method's zod schema, call the
 * service, and wrap the outcome as an IpcResult, because ipcMain.handle would keep only an
 * error's message and lose its code. No `electron` import, so it is tested in plain Node.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { IpcResult, StudioApi, StudioEvent, StudioMethod, WireError } from '../../common/api';
import { StudioError, toWireError } from '../../common/errors';
import { isStudioMethod, parseRequest } from './validate';

/** A StudioApi that also streams events (StudioService): what a transport serves. */
export interface EventedStudioApi extends StudioApi {
  onEvent(callback: (event: StudioEvent) => void): () => void;
}

/** Where unexpected errors go; main logs them with their stack. */
export type ErrorLogger = (message: string, err: unknown) => void;

const defaultLogger: ErrorLogger = (message, err) => console.error(message, err);

/**
 * Handles one call. `isTrusted` is the transport's verdict on the sender (the window's main
 * frame showing our renderer; the harness's token). Never throws: every failure comes back
 * as `{ ok: false, error }`, and only validated arguments reach the service.
 */
export async function dispatch(
  method: unknown,
  payload: unknown,
  isTrusted: boolean,
  service: StudioApi,
  logError: ErrorLogger = defaultLogger,
): Promise<IpcResult<unknown>> {
  if (!isTrusted) {
    // Say which method was refused, never echo the payload back to a stranger.
    return failure({ code: 'invalid-input', message: `Refused ${nameOf(method)}: the request did not come from the LSTM Studio window.` });
  }
  if (!isStudioMethod(method)) {
    return failure({ code: 'invalid-input', message: `Unknown method ${JSON.stringify(nameOf(method)).slice(0, 80)}.` });
  }
  try {
    const argument = parseRequest(method, payload);
    return { ok: true, value: await invoke(service, method, argument) };
  } catch (err) {
    if (!(err instanceof StudioError)) logError(`Unexpected error in ${method}:`, err);
    return failure(toWireError(err));
  }
}

/** Calls a method by name with its already-validated argument. */
function invoke(service: StudioApi, method: StudioMethod, argument: unknown): Promise<unknown> {
  const fn = service[method] as (this: StudioApi, argument?: unknown) => Promise<unknown>;
  return fn.call(service, argument);
}

/** A method name for a message; String() itself throws on objects with a hostile toString. */
function nameOf(method: unknown): string {
  return typeof method === 'string' ? method : `(a ${typeof method})`;
}

function failure(error: WireError): IpcResult<never> {
  return { ok: false, error };
}

/**
 * True when `url` is the renderer's own index.html over file:// (query and hash ignored).
 * Anything else (another file, http, about:blank, devtools) is not our renderer.
 */
export function isRendererUrl(url: string, rendererIndex: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
  parsed.search = '';
  parsed.hash = '';
  return path.resolve(fileURLToPath(parsed)) === path.resolve(rendererIndex);
}
