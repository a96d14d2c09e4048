/**
 * Browser mode's HTTP server: the built renderer and the real StudioService on 127.0.0.1 only,
 * behind a random per-launch token. API calls go through the same `dispatch()` as Electron's IPC
 * (validation, IpcResult wrapping, error mapping), so only the transport differs from the app.
 * The request rules are request-guard.ts's; README "Browser mode" says them for users.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IpcResult } from '../../common/api';
import { dispatch } from '../service/ipc-dispatch';
import type { EventedStudioApi } from '../service/ipc-dispatch';
import { toWireError } from '../../common/errors';
import { streamEvents } from './event-stream';
import { isLoopbackHost, isSameOrigin, presentedToken, TOKEN_QUERY, tokenCookie, tokenCookieName, tokenMatches } from './request-guard';
import { runIdOfDownload, sendRunZip } from './run-download';
import type { RunFilesSource } from './run-download';
import { MAX_IMPORT_BODY_BYTES, MY_DIGITS_DOWNLOAD, sendMyDigits } from './my-digits-download';
import type { MyDigitsSource } from './my-digits-download';
import { serveStatic } from './static-files';
import { requestUrl } from './url-path';
import type { StaticRoots } from './static-files';

const MAX_BODY_BYTES = 1 << 20;
/** Only loopback, ever: the studio trains on the person's machine and has no accounts. */
const LISTEN_HOST = '127.0.0.1';

/** What browser mode serves: the API and its events, and a run's files and the personal set for downloads. */
export type WebService = EventedStudioApi & RunFilesSource & MyDigitsSource;

export interface WebServerOptions extends StaticRoots {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A fixed token, for tests; otherwise 24 random bytes per launch. */
  token?: string;
  logError?: (message: string, err: unknown) => void;
}

export interface WebServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** The URL to open: it carries the token once; the page then holds it in a cookie. */
  launchUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

interface Context extends StaticRoots {
  service: WebService;
  token: string;
  cookieName: string;
  closers: Set<() => void>;
  logError: (message: string, err: unknown) => void;
}

/** Starts listening; rejects with the listen error (EADDRINUSE, EACCES) when the port cannot be had. */
export async function startWebServer(service: WebService, options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const logError = options.logError ?? ((message, err) => console.error(message, err));
  const closers = new Set<() => void>();
  let ctx: Context | null = null;
  const server = http.createServer((req, res) => {
    if (!ctx) return void res.writeHead(503).end();
    handle(req, res, ctx).catch((err: unknown) => {
      logError('browser mode: request failed', err);
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LISTEN_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ctx = { ...options, service, token, cookieName: tokenCookieName(port), closers, logError };
  const url = `http://${LISTEN_HOST}:${port}/`;
  return {
    url,
    launchUrl: `${url}?${TOKEN_QUERY}=${token}`,
    port,
    token,
    close: async () => {
      for (const close of [...closers]) close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: Context): Promise<void> {
  if (!isLoopbackHost(req.headers.host)) return void res.writeHead(421, { 'content-type': 'text/plain' }).end('Wrong Host header.\n');
  if (!isSameOrigin(req.headers))
    return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Cross-origin requests are refused.\n');
  const url = requestUrl(req.url);
  if (!url) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('Malformed request path.\n');
  if (url.searchParams.has(TOKEN_QUERY)) return acceptLaunch(url, res, ctx);
  const isTrusted = tokenMatches(presentedToken(req.headers, ctx.cookieName), ctx.token);
  if (url.pathname.startsWith('/api/') && url.pathname !== '/api/events') {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    return callApi(url.pathname.slice('/api/'.length), req, res, ctx, isTrusted);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
  if (!isTrusted) return refuseWithoutToken(res);
  if (url.pathname === '/api/events') {
    const close = streamEvents(res, ctx.service, () => ctx.closers.delete(close));
    return void ctx.closers.add(close);
  }
  if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
  if (url.pathname === MY_DIGITS_DOWNLOAD) return sendDownload(null, res, ctx);
  const runId = runIdOfDownload(url.pathname);
  if (runId !== null) return sendDownload(runId, res, ctx);
  return serveStatic(url.pathname, res, ctx);
}

/** `/?token=…` from the printed URL: swap it for the cookie and drop it from the address bar. */
function acceptLaunch(url: URL, res: http.ServerResponse, ctx: Context): void {
  if (!tokenMatches(url.searchParams.get(TOKEN_QUERY) ?? undefined, ctx.token)) return refuseWithoutToken(res);
  url.searchParams.delete(TOKEN_QUERY);
  res
    .writeHead(303, {
      location: `${url.pathname}${url.search}`,
      'set-cookie': tokenCookie(ctx.cookieName, ctx.token),
      'cache-control': 'no-store',
    })
    .end();
}

function refuseWithoutToken(res: http.ServerResponse): void {
  res
    .writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end('LSTM Studio: open the address that `npm start` printed; it carries this launch\u2019s key.\n');
}

async function callApi(
  method: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  ctx: Context,
  isTrusted: boolean,
): Promise<void> {
  // An imported set of digits may be larger than any other call's argument.
  const limit = method === 'importMyDigits' ? MAX_IMPORT_BODY_BYTES : MAX_BODY_BYTES;
  const body = await readBody(req, limit);
  if (body === null) {
    const error = { code: 'invalid-input' as const, message: `Request body larger than ${limit} bytes.` };
    // The rest of the body is never read: close the connection once the answer is out.
    return void res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ ok: false, error }));
  }
  let payload: unknown;
  try {
    payload = body === '' ? undefined : JSON.parse(body);
  } catch (err) {
    return sendJson(res, isTrusted ? 400 : 403, {
      ok: false,
      error: { code: 'invalid-input', message: `Unreadable request body: ${(err as Error).message}` },
    });
  }
  sendJson(res, isTrusted ? 200 : 403, await dispatch(method, payload, isTrusted, ctx.service, ctx.logError));
}

/** A run's zip, or with `runId` null the personal set. */
async function sendDownload(runId: string | null, res: http.ServerResponse, ctx: Context): Promise<void> {
  try {
    await (runId === null ? sendMyDigits(ctx.service, res) : sendRunZip(runId, ctx.service, res));
  } catch (err) {
    const error = toWireError(err);
    if (error.code === 'internal') ctx.logError(`browser mode: download of ${runId ?? 'my digits'} failed`, err);
    sendJson(res, error.code === 'not-found' ? 404 : 400, { ok: false, error });
  }
}

function sendJson(res: http.ServerResponse, status: number, result: IpcResult<unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(result));
}

/** The body as text, or null once it passes `limit` bytes (reading stops there). */
function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
