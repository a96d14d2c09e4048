import { describe, expect, it } from 'vitest';
import { openCommand } from '../../../../main/web/open-browser';

const URL_ = 'http://127.0.0.1:6006/?token=t';

describe('openCommand', () => {
  it('uses each desktop\u2019s own opener', () => {
    expect(openCommand(URL_, 'darwin', {})).toEqual(['open', [URL_]]);
    expect(openCommand(URL_, 'win32', {})).toEqual(['cmd', ['/c', 'start', '""', URL_]]);
    expect(openCommand(URL_, 'linux', { DISPLAY: ':0' })).toEqual(['xdg-open', [URL_]]);
    expect(openCommand(URL_, 'linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual(['xdg-open', [URL_]]);
  });

  it('opens nothing on a Linux machine without a display (SSH) or with BROWSER=none', () => {
    expect(openCommand(URL_, 'linux', {})).toBeNull();
    expect(openCommand(URL_, 'darwin', { BROWSER: 'none' })).toBeNull();
  });
});
