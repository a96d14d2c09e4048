import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';

const { openExternal } = vi.hoisted(() => ({ openExternal: vi.fn(async () => undefined) }));
vi.mock('electron', () => ({ app: {}, shell: { openExternal } }));

const { hardenWebContents, setupSessionSecurity } = await import('../../../../main/app/security');

type OpenHandler = (details: { url: string }) => { action: string };

function fakeContents() {
  const contents = new EventEmitter() as EventEmitter & { openHandler?: OpenHandler; setWindowOpenHandler(h: OpenHandler): void };
  contents.setWindowOpenHandler = (handler) => (contents.openHandler = handler);
  hardenWebContents(contents as unknown as WebContents);
  return contents;
}

describe('hardenWebContents()', () => {
  it('prevents every navigation and opens only allow-listed links outside', () => {
    const contents = fakeContents();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const url of ['https://github.com/x', 'https://evil.example/', 'file:///etc/passwd']) {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://github.com/x');
  });

  it('denies every new window', () => {
    const contents = fakeContents();
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
  });

  it('blocks webview attachment and redirects', () => {
    const contents = fakeContents();
    for (const name of ['will-attach-webview', 'will-redirect']) {
      const event = { preventDefault: vi.fn() };
      contents.emit(name, event);
      expect(event.preventDefault).toHaveBeenCalled();
    }
  });
});

describe('setupSessionSecurity()', () => {
  it('adds the CSP header and denies every permission', () => {
    let onHeaders: ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
    let onRequest: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let onCheck: (() => boolean) | undefined;
    const session = {
      webRequest: { onHeadersReceived: (l: typeof onHeaders) => (onHeaders = l) },
      setPermissionRequestHandler: (h: typeof onRequest) => (onRequest = h),
      setPermissionCheckHandler: (h: typeof onCheck) => (onCheck = h),
    };
    setupSessionSecurity(session as never);
    const answer = vi.fn();
    onHeaders?.({ responseHeaders: {} }, answer);
    expect(answer.mock.calls[0][0]).toMatchObject({
      responseHeaders: { 'Content-Security-Policy': [expect.stringContaining("script-src 'self'")] },
    });
    const granted = vi.fn();
    onRequest?.({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(onCheck?.()).toBe(false);
  });
});
