import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, WebFrameMain } from 'electron';

vi.mock('electron', () => ({ BrowserWindow: class {} }));

const { rendererIndexPath, trustedSenderCheck } = await import('../../../../main/app/window');

const OUR_URL = pathToFileURL(rendererIndexPath()).href;
const mainFrame = { processId: 4, routingId: 1, url: OUR_URL };
const frame = (overrides: Partial<typeof mainFrame>) => ({ ...mainFrame, ...overrides }) as unknown as WebFrameMain;

function windowWith(isDestroyed = false): BrowserWindow {
  return { isDestroyed: () => isDestroyed, webContents: { mainFrame } } as unknown as BrowserWindow;
}

describe('trustedSenderCheck()', () => {
  it('trusts the main frame of our window showing our index.html', () => {
    expect(trustedSenderCheck(() => windowWith())(frame({}))).toBe(true);
    expect(trustedSenderCheck(() => windowWith())(frame({ url: `${OUR_URL}#/draw` }))).toBe(true);
  });

  it('refuses a subframe, another page, a destroyed frame or a closed window', () => {
    const check = trustedSenderCheck(() => windowWith());
    expect(check(frame({ routingId: 2 }))).toBe(false);
    expect(check(frame({ processId: 9 }))).toBe(false);
    expect(check(frame({ url: 'https://evil.example/' }))).toBe(false);
    expect(check(null)).toBe(false);
    expect(trustedSenderCheck(() => null)(frame({}))).toBe(false);
    expect(trustedSenderCheck(() => windowWith(true))(frame({}))).toBe(false);
  });
});
