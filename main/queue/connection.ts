/**
 * Connections to the Redis a sweep's trials go through: the URL checked and taken apart
 * (common/redis-url.ts), ioredis clients built from its parts with the options BullMQ needs
 * (no retry limit per command, so a Redis restart is waited out rather than failed), a probe
 * that says in one sentence why Redis cannot be reached, and every message from a client
 * scrubbed of the password before anyone sees it. Nothing here logs or shows the URL unredacted.
 */
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { StudioError } from '../../common/errors';
import { parseRedisUrl, scrubSecret } from '../../common/redis-url';
import type { RedisTarget } from '../../common/redis-url';

/** How long a probe waits for Redis to answer before it says it cannot reach it. */
export const PROBE_TIMEOUT_MS = 5_000;
/** Reconnection backoff after a dropped connection: 250 ms, 500 ms, … at most this. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** The URL taken apart; 'invalid-input' with the reason (never the password) when it does not parse. */
export function redisTarget(url: string): RedisTarget {
  const check = parseRedisUrl(url);
  if (!check.ok) throw new StudioError('invalid-input', `The Redis URL is not usable: ${check.message}`);
  return check.target;
}

/** Calls `report` with a client's errors, scrubbed of the password, at most once per distinct message in a row. */
export type ErrorReport = (message: string) => void;

/**
 * A client for one part of the queue (BullMQ's Queue, Worker or QueueEvents, or this app's own
 * keys), reconnecting forever with a short backoff. Its errors go to `report`, scrubbed, and only
 * when they change: a Redis down for a minute is one line, not one per retry.
 */
export function redisClient(target: RedisTarget, role: string, report: ErrorReport = () => undefined): Redis {
  const client = new Redis({
    ...baseOptions(target),
    connectionName: `lstm-studio:${role}`,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(250 * times, MAX_RECONNECT_DELAY_MS),
  });
  let last: string | null = null;
  client.on('error', (err: Error) => {
    const message = scrubSecret(err.message, target.password);
    if (message !== last) report(message);
    last = message;
  });
  client.on('ready', () => (last = null));
  return client;
}

/**
 * Connects once and pings: resolves when Redis answers, else throws 'queue-unreachable' naming the
 * URL without its password and what went wrong ("connect ECONNREFUSED 127.0.0.1:6379",
 * "WRONGPASS …", "timed out after 5 s").
 */
export async function probeRedis(target: RedisTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const client = new Redis({
    ...baseOptions(target),
    connectionName: 'lstm-studio:probe',
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | null = null;
  client.on('error', (err: Error) => (lastError = err));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (err) {
    throw unreachable(target, lastError ?? err);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** 'queue-unreachable': "Cannot reach Redis at redis://:***@host:6379/0 (connect ECONNREFUSED …)." */
export function unreachable(target: RedisTarget, err: unknown): StudioError {
  const reason = scrubSecret(err instanceof Error ? err.message : String(err), target.password);
  return new StudioError('queue-unreachable', `Cannot reach Redis at ${target.redacted} (${reason}).`);
}

function baseOptions(target: RedisTarget): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    // rediss://: TLS with the system's certificate authorities (NODE_EXTRA_CA_CERTS adds a private one).
    ...(target.isTls ? { tls: { servername: target.host } } : {}),
  };
}
