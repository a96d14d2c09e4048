/**
 * `window.lstm` for the e2e harness: the LstmBridge the preload gives the real app, forwarded
 * over fetch (calls) and EventSource (events) to test/e2e/harness/server.ts. Injected with
 * `page.addInitScript(installBridgeShim, { token, tokenHeader })`, so it runs before the
 * renderer's scripts. Playwright serialises the function's source: it must not reference
 * anything outside itself at run time (type imports are erased).
 */
import type { IpcResult, LstmBridge, StudioEvent } from '../../../preload/api';

/** What addInitScript passes to the shim. */
export interface ShimOptions {
  token: string;
  tokenHeader: string;
}

/** Defines `window.lstm`; see the module comment. */
export function installBridgeShim(options: ShimOptions): void {
  const call = async <T>(method: string, payload?: unknown): Promise<T> => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [options.tokenHeader]: options.token },
      body: payload === undefined ? '' : JSON.stringify(payload),
    });
    const result = (await response.json()) as IpcResult<T>;
    if (result.ok) return result.value;
    // As through Electron's contextBridge: only the message survives, so it carries the code in
    // the preload's convention (channels.ts bridgeErrorMessage; inlined: this source is serialised).
    throw new Error(`[${result.error.code}] ${result.error.message}`);
  };

  const listeners = new Set<(event: StudioEvent) => void>();
  let source: EventSource | null = null;
  const onEvent = (callback: (event: StudioEvent) => void): (() => void) => {
    listeners.add(callback);
    if (!source) {
      source = new EventSource(`/api/events?token=${encodeURIComponent(options.token)}`);
      source.onmessage = (message: MessageEvent<string>) => {
        const event = JSON.parse(message.data) as StudioEvent;
        for (const listener of [...listeners]) listener(event);
      };
    }
    return () => void listeners.delete(callback);
  };

  const bridge = {
    getStatus: () => call('getStatus'),
    getDefaults: () => call('getDefaults'),
    startTraining: (request) => call('startTraining', request),
    resumeTraining: (request) => call('resumeTraining', request),
    listResumable: () => call('listResumable'),
    stopTraining: () => call('stopTraining'),
    predict: (request) => call('predict', request),
    evaluate: (request) => call('evaluate', request),
    listRuns: () => call('listRuns'),
    loadRun: (request) => call('loadRun', request),
    deleteRun: (request) => call('deleteRun', request),
    exportRun: (request) => call('exportRun', request),
    datasetStatus: () => call('datasetStatus'),
    onEvent,
  } satisfies LstmBridge;
  // Like contextBridge.exposeInMainWorld: a frozen, non-writable global.
  Object.defineProperty(window, 'lstm', { value: Object.freeze(bridge), writable: false, configurable: false, enumerable: true });
}
