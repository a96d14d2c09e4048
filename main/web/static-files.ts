/**
 * The built renderer as browser mode serves it: files only from inside the renderer folder, each
 * with the app's own CSP, and index.html with the HTTP bridge's script put in front of the
 * renderer's, so `window.lstm` exists before the studio's code runs, as the preload makes it in
 * the desktop app.
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { withCspHeader } from '../../common/security-policy';
import { decodePath } from './url-path';

/** Where the bridge script is served; a path no Vite build writes. */
export const BRIDGE_SCRIPT_PATH = '/lstm-web-bridge.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** The two things browser mode serves as files. */
export interface StaticRoots {
  /** The Vite output: index.html and assets/. */
  rendererDir: string;
  /** out/web/bridge.js, the bundle of preload/web-bridge.ts. */
  bridgeScript: string;
}

/** Answers a GET for `pathname`: 200 with the file, 403 outside the renderer, 404 when absent. */
export async function serveStatic(pathname: string, res: http.ServerResponse, roots: StaticRoots): Promise<void> {
  if (pathname === BRIDGE_SCRIPT_PATH) return sendFile(res, roots.bridgeScript, await readFile(roots.bridgeScript));
  const file = resolveInside(roots.rendererDir, pathname === '/' ? '/index.html' : pathname);
  if (!file) return void res.writeHead(403).end();
  const body = await readFile(file).catch(() => null);
  if (!body) return void res.writeHead(404).end();
  const isIndex = file === path.join(path.resolve(roots.rendererDir), 'index.html');
  return sendFile(res, file, isIndex ? withBridgeScript(body.toString('utf8')) : body);
}

/** index.html with the bridge as the first script of <head> (a classic script runs before module scripts). */
export function withBridgeScript(html: string): string {
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;
  const at = html.indexOf('<script');
  if (at >= 0) return `${html.slice(0, at)}${tag}\n    ${html.slice(at)}`;
  return html.replace('</head>', `  ${tag}\n  </head>`);
}

/** The absolute file for a URL path, or null when it would leave `dir` (`..`, encoded or not). */
export function resolveInside(dir: string, pathname: string): string | null {
  const relative = decodePath(pathname);
  if (relative === null || relative.includes('\0')) return null;
  const root = path.resolve(dir);
  const file = path.resolve(root, `.${relative}`);
  return file.startsWith(root + path.sep) ? file : null;
}

function sendFile(res: http.ServerResponse, file: string, body: Buffer | string): void {
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const headers = Object.fromEntries(
    Object.entries(withCspHeader({ 'Content-Type': [type] })).map(([name, values]) => [name, values.join(', ')]),
  );
  // A <meta> CSP cannot say frame-ancestors: X-Frame-Options keeps other pages from framing the studio.
  const hardening = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
  res.writeHead(200, { ...headers, ...hardening }).end(body);
}
