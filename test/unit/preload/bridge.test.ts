import { describe, expect, it, vi } from 'vitest';
import { BridgeError, createBridge } from '../../../preload/bridge';
import { ERROR_CODES, parseBridgeErrorMessage } from '../../../common/api';
import type { ErrorCode } from '../../../common/api';

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);
import type { IpcRendererLike } from '../../../preload/bridge';
import { EVENT_CHANNEL, STUDIO_METHODS, channelFor } from '../../../common/api';
import type { StudioEvent } from '../../../common/api';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(reply: unknown = { ok: true, value: 'v' }) {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]) => reply),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => listeners.get(channel)?.delete(listener)),
  } satisfies IpcRendererLike;
  const send = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'secret ipcRenderer' }, payload);
  };
  return { ipc, send, listeners };
}

describe('createBridge()', () => {
  it('offers exactly the StudioApi methods plus onEvent', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual([...STUDIO_METHODS, 'onEvent'].sort());
  });

  it('invokes each method on its own channel with its one payload and unwraps the value', async () => {
    const { ipc } = fakeIpc({ ok: true, value: { runId: 'r1' } });
    const bridge = createBridge(ipc);
    await expect(bridge.startTraining({ hyperparams: { units: 8 } })).resolves.toEqual({ runId: 'r1' });
    expect(ipc.invoke).toHaveBeenCalledWith(channelFor('startTraining'), { hyperparams: { units: 8 } });
    await bridge.listRuns();
    expect(ipc.invoke).toHaveBeenLastCalledWith(channelFor('listRuns'), undefined);
  });

  it('rethrows a failed result as an Error whose message carries the code, as contextBridge keeps only the message', async () => {
    const bridge = createBridge(fakeIpc({ ok: false, error: { code: 'busy', message: 'A training run is already in progress' } }).ipc);
    const err = await bridge.startTraining({ hyperparams: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'busy', message: '[busy] A training run is already in progress' });
    expect(parseBridgeErrorMessage((err as Error).message, isErrorCode)).toEqual({
      code: 'busy',
      message: 'A training run is already in progress',
    });
  });

  it('takes { ok: true } without a value as a method that returned nothing (JSON drops undefined)', async () => {
    await expect(createBridge(fakeIpc({ ok: true }).ipc).stopTraining()).resolves.toBeUndefined();
  });

  it('treats a malformed reply as internal', async () => {
    const bridge = createBridge(fakeIpc({ nonsense: true }).ipc);
    await expect(bridge.getStatus()).rejects.toMatchObject({ code: 'internal' });
  });

  it('passes only the event payload to the callback, never the IpcRendererEvent', () => {
    const { ipc, send } = fakeIpc();
    const seen: unknown[][] = [];
    createBridge(ipc).onEvent((...args: unknown[]) => seen.push(args));
    const event: StudioEvent = { type: 'worker-restarted', reason: 'x' };
    send(EVENT_CHANNEL, event);
    expect(seen).toEqual([[event]]);
  });

  it('returns an unsubscribe that removes the listener', () => {
    const { ipc, send, listeners } = fakeIpc();
    const callback = vi.fn();
    const off = createBridge(ipc).onEvent(callback);
    off();
    send(EVENT_CHANNEL, { type: 'worker-restarted', reason: 'x' });
    expect(callback).not.toHaveBeenCalled();
    expect(listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });
});
