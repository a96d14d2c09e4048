/**
 * Redis URLs as a person types them for a sweep on workers: `redis://host:6379/0`, with a
 * password (`redis://:secret@host:6379/0`, or `redis://user:secret@…` for a Redis ACL user) and
 * TLS (`rediss://`). Parsed and checked here, in words that never repeat the password, and shown
 * only redacted (`redis://:***@host:6379/0`). Pure and shared: the Sweeps form checks the field
 * with it, the service and the worker connect with what it returns.
 */
import { z } from 'zod';

/** What the form and --help show as an example. */
export const REDIS_URL_EXAMPLE = 'redis://host:6379/0';
export const DEFAULT_REDIS_PORT = 6379;
/** Redis numbers its databases 0–15 unless configured otherwise; a larger number is almost surely a typo. */
const MAX_DB = 255;
const MAX_URL_LENGTH = 2_000;
/** What stands for the password wherever a URL is shown. */
export const REDACTED = '***';

/** A Redis URL taken apart, ready for a client's options. */
export interface RedisTarget {
  /** `rediss://`: connect with TLS. */
  isTls: boolean;
  host: string;
  port: number;
  db: number;
  /** An ACL user name; null for the default user. */
  username: string | null;
  /** Null when the URL has none. */
  password: string | null;
  /** The URL with the password replaced by `***`: the only form that is ever shown or logged. */
  redacted: string;
}

export type RedisUrlCheck = { ok: true; target: RedisTarget } | { ok: false; message: string };

/** Parses and checks `text`; the message names what is wrong without repeating the URL. */
export function parseRedisUrl(text: string): RedisUrlCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Enter the Redis URL, e.g. ${REDIS_URL_EXAMPLE}.` };
  if (trimmed.length > MAX_URL_LENGTH) return { ok: false, message: `A Redis URL is at most ${MAX_URL_LENGTH} characters.` };
  if (!/^rediss?:\/\//i.test(trimmed))
    return { ok: false, message: `A Redis URL starts with redis:// (or rediss:// for TLS), e.g. ${REDIS_URL_EXAMPLE}.` };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    // The URL parser refuses a port above 65535 outright: say that, rather than "not a URL".
    const hostPart =
      trimmed
        .replace(/^rediss?:\/\//i, '')
        .split('/')[0]
        .split('@')
        .pop() ?? '';
    const portText = /:(\d+)$/.exec(hostPart)?.[1];
    if (portText !== undefined && Number(portText) > 65_535) return { ok: false, message: 'The port must be a number from 1 to 65535.' };
    return { ok: false, message: `Not a URL Redis understands; expected the form ${REDIS_URL_EXAMPLE}.` };
  }
  if (url.hostname === '') return { ok: false, message: `The URL names no host; expected the form ${REDIS_URL_EXAMPLE}.` };
  if (url.search !== '' || url.hash !== '') return { ok: false, message: 'A Redis URL here takes no ?options or #fragment.' };
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return { ok: false, message: 'The port must be a number from 1 to 65535.' };
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isInteger(db) || db > MAX_DB) {
    return { ok: false, message: `The path is the database number, 0 to ${MAX_DB} (…:6379/0).` };
  }
  let username: string | null;
  let password: string | null;
  try {
    username = url.username === '' ? null : decodeURIComponent(url.username);
    password = url.password === '' ? null : decodeURIComponent(url.password);
  } catch {
    return { ok: false, message: 'The user name or password holds a broken %-escape.' };
  }
  const isTls = url.protocol.toLowerCase() === 'rediss:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { ok: true, target: { isTls, host, port, db, username, password, redacted: redactedUrl(url, isTls, port, db) } };
}

/**
 * The URL `text` with `password` put in it (%-escaped, so any character survives), for a form
 * that asks for the password in a field of its own; `text` alone when `password` is empty. Refused
 * when the URL does not parse or holds a password already.
 */
export function withRedisPassword(text: string, password: string): { ok: true; url: string } | { ok: false; message: string } {
  const check = parseRedisUrl(text);
  if (!check.ok) return check;
  if (password === '') return { ok: true, url: text.trim() };
  if (check.target.password !== null) {
    return { ok: false, message: 'The URL holds a password already: take it out of the URL, or leave the Password field empty.' };
  }
  const url = new URL(text.trim());
  // The setter escapes only some characters, and not "%": escaped here, a "%41" in a password stays itself.
  url.password = encodeURIComponent(password);
  return { ok: true, url: url.href };
}

/**
 * `text` with its password replaced by `***`, for anything that shows or logs a URL; a text that
 * does not parse is cut at its last "@" so that a password in it cannot show either.
 */
export function redactRedisUrl(text: string): string {
  const check = parseRedisUrl(text);
  if (check.ok) return check.target.redacted;
  const at = text.lastIndexOf('@');
  return at < 0 ? text.trim().slice(0, 200) : `${text.trim().slice(0, text.indexOf('//') + 2)}${REDACTED}@${text.slice(at + 1)}`;
}

/** `message` with every occurrence of `secret` replaced by `***` (errors from a client may quote what they were given). */
export function scrubSecret(message: string, secret: string | null): string {
  return secret ? message.split(secret).join(REDACTED) : message;
}

/**
 * A Redis URL as zod sees it. Its refusals carry the redacted URL as their input, so a message
 * built from an issue ("…, got …") cannot repeat the password.
 */
export const RedisUrlSchema = z.string().superRefine((text, ctx) => {
  const check = parseRedisUrl(text);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message, input: redactRedisUrl(text) });
});

/** Where a sweep's trials go instead of this machine's trainer: a Redis that workers take them from. */
export const QueueTargetSchema = z.object({ url: RedisUrlSchema }).strict();
export type QueueTarget = z.infer<typeof QueueTargetSchema>;

function redactedUrl(url: URL, isTls: boolean, port: number, db: number): string {
  const user = url.username;
  const auth = url.password !== '' ? `${user}:${REDACTED}@` : user !== '' ? `${user}@` : '';
  const host = url.hostname;
  return `${isTls ? 'rediss' : 'redis'}://${auth}${host}:${port}/${db}`;
}
