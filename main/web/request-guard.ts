/**
 * Who may talk to browser mode's server: pure checks on a request's headers, kept apart from the
 * server so each rule is unit-tested on its own. The rules, as Jupyter's and TensorBoard's local
 * servers apply them: the Host must name this machine's loopback (a page on evil.example that
 * resolves to 127.0.0.1 keeps its own Host: DNS rebinding), a cross-origin request is refused, and
 * every request carries the per-launch token, in a cookie the launch URL sets or in a header.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header a non-browser client (a test, curl) may carry the token in instead of the cookie. */
export const TOKEN_HEADER = 'x-lstm-token';
/** The launch URL's query parameter; the server swaps it for the cookie and drops it from the address. */
export const TOKEN_QUERY = 'token';

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The cookie's name, per port: cookies are shared by every port of one host, so two studios
 * (or a studio and another local tool) would otherwise overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `lstm_studio_${port}`;
}

/**
 * True when the Host header names loopback. Any port: an SSH tunnel (`ssh -L 8000:127.0.0.1:6006`)
 * shows the tunnel's local port, not ours.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const match = /^(\[::1\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host.toLowerCase());
  return match !== null && LOOPBACK_HOSTNAMES.has(match[1]);
}

/** True when the request has no Origin (same-origin GETs, curl) or its Origin is the page's own. */
export function isSameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  return origin === `http://${headers.host ?? ''}`;
}

/** The token the request presents: the header, else this server's cookie; undefined when none. */
export function presentedToken(headers: IncomingHttpHeaders, cookieName: string): string | undefined {
  const header = headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  return readCookie(headers.cookie, cookieName);
}

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/** The Set-Cookie value that hands the page its token: never readable by scripts, never sent cross-site. */
export function tokenCookie(cookieName: string, token: string): string {
  return `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
