import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_SCRIPT_PATH, resolveInside, withBridgeScript } from '../../../../main/web/static-files';

describe('withBridgeScript', () => {
  it('puts the bridge before the first script, so window.lstm exists when the renderer runs', () => {
    const html = withBridgeScript('<head><meta charset="utf-8"><script type="module" src="/a.js"></script></head>');
    expect(html.indexOf(BRIDGE_SCRIPT_PATH)).toBeLessThan(html.indexOf('/a.js'));
    expect(html).toContain(`<script src="${BRIDGE_SCRIPT_PATH}"></script>`);
  });

  it('adds it to <head> when the page has no script', () => {
    expect(withBridgeScript('<head></head>')).toMatch(new RegExp(`${BRIDGE_SCRIPT_PATH}.*</head>`, 's'));
  });
});

describe('resolveInside', () => {
  const root = path.resolve('/srv/renderer');

  it('maps a URL path to a file inside the folder', () => {
    expect(resolveInside(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveInside(root, '/a%20b.css')).toBe(path.join(root, 'a b.css'));
  });

  it('refuses paths that leave the folder, NUL bytes and malformed escapes', () => {
    for (const pathname of ['/../x', '/..%2fx', '/assets/../../x', '/%2e%2e/x', '/a%00b', '/%E0%A4%A', '/'])
      expect(resolveInside(root, pathname)).toBeNull();
  });
});
