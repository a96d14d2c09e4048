/**
 * `window.lstm` in browser mode: the same LstmBridge the desktop preload exposes, over HTTP
 * (fetch for calls, EventSource for events) to main/web/server.ts. Bundled by esbuild into
 * out/web/bridge.js, which the server puts in front of the renderer's own script. The token
 * travels in an HttpOnly cookie the launch URL set, so this script never sees it.
 */
import type { ImportMyDigitsRequest, LstmBridge, MyDigitsImport, StudioEvent, StudioMethod } from '../common/api';
import { BridgeError, unwrap } from './bridge';
import { apiFrom } from '../common/methods';

/** Where the page posts a call: `/api/<method>`. */
async function call(method: StudioMethod, payload?: unknown): Promise<unknown> {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload === undefined ? '' : JSON.stringify(payload),
  }).catch(() => {
    throw new BridgeError('internal', 'Lost the connection to the studio: is `npm start` still running?');
  });
  return unwrap(await readJson(response));
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new BridgeError('internal', `The studio answered ${response.status} without a result.`);
  }
}

/**
 * Export, the browser way: the run arrives as `<runId>.zip` in the browser's downloads, as a
 * page cannot show the native folder dialog the desktop app uses.
 */
async function exportRun(request: { runId: string }): Promise<{ path: string } | null> {
  const response = await fetch(`/download/${encodeURIComponent(request.runId)}.zip`);
  if (!response.ok) return unwrap(await readJson(response));
  return download(await response.blob(), `${request.runId}.zip`);
}

/** Saving a file, the browser way: it arrives in the browser's downloads. */
async function saveTextFile(request: { fileName: string; text: string }): Promise<{ path: string }> {
  return download(new Blob([request.text], { type: 'text/plain;charset=utf-8' }), request.fileName);
}

/** A PNG, the same way: its base64 decoded here, as the page never sends it to the server. */
async function saveImageFile(request: { fileName: string; png: string }): Promise<{ path: string }> {
  const bytes = Uint8Array.from(atob(request.png), (ch) => ch.charCodeAt(0));
  return download(new Blob([bytes], { type: 'image/png' }), request.fileName);
}

/** The personal set, the browser way: my-digits.json in the browser's downloads. */
async function exportMyDigits(): Promise<{ path: string } | null> {
  const response = await fetch('/download/my-digits.json');
  if (!response.ok) return unwrap(await readJson(response));
  return download(await response.blob(), 'my-digits.json');
}

/**
 * Import, the browser way: the page's own file picker stands in for main's open dialog, and the
 * file's text goes to the server, which validates it as the desktop app validates a file. Called
 * from a click, the picker opens before any await (browsers allow it only then).
 */
function importMyDigits(request: ImportMyDigitsRequest): Promise<MyDigitsImport | null> {
  if (request.text !== undefined) return call('importMyDigits', request) as Promise<MyDigitsImport | null>;
  return pickTextFile('.json,application/json').then((text) =>
    text === null ? null : (call('importMyDigits', { text }) as Promise<MyDigitsImport | null>),
  );
}

/** Opens the browser's file picker for one file; its text, or null when the person cancels. */
function pickTextFile(accept: string): Promise<string | null> {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.hidden = true;
  document.body.append(input);
  return new Promise<string | null>((resolve, reject) => {
    input.addEventListener('cancel', () => resolve(null));
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      file.text().then(resolve, () => reject(new BridgeError('invalid-input', `Could not read ${file.name}.`)));
    });
    input.click();
  }).finally(() => input.remove());
}

/** Hands `blob` to the browser as a download named `fileName`. */
function download(blob: Blob, fileName: string): { path: string } {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its own copy by the next task; the blob can go.
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
  return { path: `your browser\u2019s downloads (${fileName})` };
}

/** One EventSource for all listeners, opened on the first subscription. */
function eventSubscriber(): LstmBridge['onEvent'] {
  const listeners = new Set<(event: StudioEvent) => void>();
  let source: EventSource | null = null;
  return (callback) => {
    listeners.add(callback);
    if (!source) {
      source = new EventSource('/api/events');
      source.onmessage = (message: MessageEvent<string>) => {
        const event = JSON.parse(message.data) as StudioEvent;
        for (const listener of [...listeners]) listener(event);
      };
    }
    return () => void listeners.delete(callback);
  };
}

/** The bridge, before the renderer reads it. */
export function createWebBridge(): LstmBridge {
  return {
    ...apiFrom(call),
    exportRun,
    saveTextFile,
    saveImageFile,
    exportMyDigits,
    importMyDigits,
    onEvent: eventSubscriber(),
  } satisfies LstmBridge;
}

// Like contextBridge.exposeInMainWorld: a frozen, non-writable global.
Object.defineProperty(window, 'lstm', { value: Object.freeze(createWebBridge()), writable: false, configurable: false, enumerable: true });
