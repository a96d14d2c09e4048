import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, WebFrameMain } from 'electron';
import { EVENT_CHANNEL, STUDIO_METHODS, channelFor } from '../../../../common/api';
import type { StudioEvent } from '../../../../common/api';
import { fakeService } from '../service/fake-service';

type Handler = (event: { senderFrame: Partial<WebFrameMain> | null }, payload: unknown) => Promise<unknown>;

// No Electron binary here: ipcMain is a map of handlers the test calls directly.
const { handlers } = vi.hoisted(() => ({ handlers: new Map<string, Handler>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { setupIpc } = await import('../../../../main/app/ipc');

function setup(isTrusted = true) {
  const listeners = new Set<(event: StudioEvent) => void>();
  const service = { ...fakeService(), onEvent: (cb: (event: StudioEvent) => void) => (listeners.add(cb), () => void listeners.delete(cb)) };
  const send = vi.fn();
  const window = { isDestroyed: () => false, webContents: { send } } as unknown as BrowserWindow;
  const teardown = setupIpc(
    service,
    () => isTrusted,
    () => window,
  );
  const emit = (event: StudioEvent) => listeners.forEach((l) => l(event));
  return { service, send, teardown, emit, listeners };
}

const frame = { url: 'file:///app/out/renderer/index.html' };

beforeEach(() => handlers.clear());

describe('setupIpc()', () => {
  it('registers one handler per StudioApi method on its channel', () => {
    setup();
    expect([...handlers.keys()].sort()).toEqual(STUDIO_METHODS.map(channelFor).sort());
  });

  it('returns IpcResults from the service for a trusted frame', async () => {
    const { service } = setup();
    const result = await handlers.get(channelFor('deleteRun'))?.({ senderFrame: frame }, { runId: 'r1' });
    expect(service.deleteRun).toHaveBeenCalledWith({ runId: 'r1' });
    expect(result).toEqual({ ok: true, value: undefined });
  });

  it('refuses a frame the check rejects, without calling the service', async () => {
    const { service } = setup(false);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = await handlers.get(channelFor('listRuns'))?.({ senderFrame: frame }, undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(service.listRuns).not.toHaveBeenCalled();
  });

  it('relays service events to the window on EVENT_CHANNEL', () => {
    const { emit, send } = setup();
    const event: StudioEvent = { type: 'worker-restarted', reason: 'x' };
    emit(event);
    expect(send).toHaveBeenCalledWith(EVENT_CHANNEL, event);
  });

  it('tears down handlers and the relay', () => {
    const { teardown, listeners } = setup();
    teardown();
    expect(handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
  });
});
