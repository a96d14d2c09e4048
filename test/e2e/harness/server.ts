/**
 * The e2e stand-in for Electron's IPC: a loopback-only HTTP server that serves the built
 * renderer and forwards API calls to a real StudioService through the same `dispatch()` that
 * main/ipc.ts uses (validation, IpcResult wrapping, error mapping). Only the transport
 * differs from the app. Every API call must carry a random per-server token, so other local
 * pages and processes cannot drive the trainer.
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dispatch } from '../../../main/ipc-dispatch';
import type { EventedStudioApi } from '../../../main/ipc-dispatch';
import { withCspHeader } from '../../../main/security-policy';
import type { IpcResult } from '../../../preload/api';

/** The header API calls carry the token in; EventSource cannot set headers, so SSE uses `?token=`. */
export const TOKEN_HEADER = 'x-lstm-token';
const MAX_BODY_BYTES = 1 << 20;

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

export interface Harness<S extends EventedStudioApi = EventedStudioApi> {
  /** http://127.0.0.1:<port>/ — the renderer's index. */
  url: string;
  token: string;
  service: S;
  close(): Promise<void>;
}

/** Starts the server on a random loopback port. */
export async function startHarness<S extends EventedStudioApi>(service: S, rendererDir: string): Promise<Harness<S>> {
  const token = randomBytes(24).toString('hex');
  const closers = new Set<() => void>();
  const server = http.createServer((req, res) => {
    handle(req, res, { service, rendererDir, token, closers }).catch((err: unknown) => {
      console.error('harness: request failed', err);
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    service,
    close: async () => {
      for (const close of closers) close(); // SSE streams never end by themselves
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Context {
  service: EventedStudioApi;
  rendererDir: string;
  token: string;
  closers: Set<() => void>;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: Context): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 would send its own Host.
  if (!/^127\.0\.0\.1:\d+$/.test(req.headers.host ?? '')) return void res.writeHead(421).end();
  if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(url, res, ctx);
  if (url.pathname.startsWith('/api/')) {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    return callApi(url.pathname.slice('/api/'.length), req, res, ctx);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
  // Chromium asks every http origin for one; file:// in Electron never does.
  if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
  return serveStatic(url.pathname, res, ctx.rendererDir);
}

async function callApi(method: string, req: http.IncomingMessage, res: http.ServerResponse, ctx: Context): Promise<void> {
  const isTrusted = tokenMatches(req.headers[TOKEN_HEADER], ctx.token);
  let result: IpcResult<unknown>;
  try {
    const body = await readBody(req);
    result = await dispatch(method, body === '' ? undefined : (JSON.parse(body) as unknown), isTrusted, ctx.service);
  } catch (err) {
    result = { ok: false, error: { code: 'invalid-input', message: `Unreadable request body: ${(err as Error).message}` } };
  }
  const json = JSON.stringify(result);
  res.writeHead(isTrusted ? 200 : 403, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(json);
}

/** Server-Sent Events: one `data:` line of JSON per StudioEvent, in the order the service emits them. */
function streamEvents(url: URL, res: http.ServerResponse, ctx: Context): void {
  if (!tokenMatches(url.searchParams.get('token') ?? undefined, ctx.token)) return void res.writeHead(403).end();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');
  const off = ctx.service.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const close = () => {
    off();
    clearInterval(heartbeat);
    ctx.closers.delete(close);
    res.end();
  };
  ctx.closers.add(close);
  res.on('close', close);
}

async function serveStatic(pathname: string, res: http.ServerResponse, rendererDir: string): Promise<void> {
  const relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const file = path.resolve(rendererDir, `.${relative}`);
  if (!file.startsWith(path.resolve(rendererDir) + path.sep)) return void res.writeHead(403).end();
  const body = await readFile(file).catch(() => null);
  if (!body) return void res.writeHead(404).end();
  const headers = flattenHeaders(withCspHeader({ 'Content-Type': [CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream'] }));
  res.writeHead(200, { ...headers, 'cache-control': 'no-store' }).end(body);
}

function flattenHeaders(headers: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.join(', ')]));
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
