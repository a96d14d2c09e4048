/**
 * Property-based fuzzing of browser mode's HTTP surface (main/web/server.ts), with the same
 * payload arbitraries as the IPC fuzzers: every method's valid, one-wrong and hostile payloads,
 * raw unparsable bodies, and random paths, Host and Origin headers, all sent over a real loopback
 * socket. A recording service notes what reached it: only a trusted, well-formed, valid call may.
 */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../main/web/request-guard';
import { startWebServer } from '../../../main/web/server';
import type { WebServer, WebService } from '../../../main/web/server';
import { REQUEST_SCHEMAS, STUDIO_METHODS } from '../../../common/api';
import type { StudioMethod } from '../../../common/api';
import { hostileValue } from './hostile';
import { objectArbitraries } from './schema-arbitraries';

/** Cases per property: each is a real HTTP round trip, so fewer than the in-process IPC fuzzers. */
const RUNS = 150;
const MAX_JSON_BYTES = 1 << 20;

interface Reached {
  method: string;
  argument: unknown;
}
const reached: Reached[] = [];

/** Records each call and does nothing else: the one place a stand-in is fine. */
function recordingService(): WebService {
  const methods = Object.fromEntries(
    STUDIO_METHODS.map((method) => [method, async (argument?: unknown) => void reached.push({ method, argument })]),
  );
  return { ...methods, onEvent: () => () => undefined, readRunFiles: async () => [] } as unknown as WebService;
}

let dir: string;
let server: WebServer;
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'http-fuzz-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'bridge.js'), '');
  server = await startWebServer(recordingService(), {
    rendererDir: dir,
    bridgeScript: path.join(dir, 'bridge.js'),
    logError: () => undefined,
  });
  cookie = `lstm_studio_${server.port}=${server.token}`;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => void reached.splice(0));

/** One round trip; `headers` may override Host. Resolves with the status and the parsed JSON (or null). */
function send(
  pathname: string,
  body: string,
  headers: Record<string, string> = { cookie },
  method = 'POST',
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const all = { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', ...headers };
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method, headers: all }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: parseOrNull(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Refused as an IpcResult with invalid-input, and nothing reached the service. */
function expectRefused(reply: { status: number; json: unknown }): void {
  expect(reached).toEqual([]);
  expect(reply.status).toBeLessThan(500);
  expect(reply.json).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
}

const schemaOf = (method: StudioMethod): z.ZodType | null => REQUEST_SCHEMAS[method];
const SCHEMA_METHODS = STUDIO_METHODS.filter((m) => schemaOf(m) !== null);
const jsonWritable = (value: unknown): string | null => {
  try {
    const text = JSON.stringify(value);
    return text !== undefined && text.length < MAX_JSON_BYTES ? text : null;
  } catch {
    return null;
  }
};

describe('browser mode HTTP fuzzed with payloads', () => {
  it.each(SCHEMA_METHODS)('%s: valid payloads from the schema bounds reach the service, parsed', async (method) => {
    const schema = schemaOf(method) as z.ZodObject;
    await fc.assert(
      fc.asyncProperty(objectArbitraries(schema).valid, async (payload) => {
        reached.splice(0);
        const reply = await send(`/api/${method}`, JSON.stringify(payload));
        expect(reply).toEqual({ status: 200, json: { ok: true } });
        expect(reached).toEqual([{ method, argument: schema.parse(JSON.parse(JSON.stringify(payload))) }]);
      }),
      { numRuns: RUNS },
    );
  });

  it.each(SCHEMA_METHODS)('%s: a payload with one thing wrong is refused and never reaches the service', async (method) => {
    const schema = schemaOf(method) as z.ZodObject;
    const bodies = objectArbitraries(schema)
      .invalid.map(jsonWritable)
      .filter((text): text is string => text !== null);
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        reached.splice(0);
        // JSON drops undefined and NaN turns null, so judge what the server actually receives.
        if (schema.safeParse(JSON.parse(body)).success) return;
        expectRefused(await send(`/api/${method}`, body));
      }),
      { numRuns: RUNS },
    );
  });

  it.each(STUDIO_METHODS)('%s: a hostile JSON value is accepted exactly when its schema accepts it', async (method) => {
    const schema = schemaOf(method);
    const bodies = hostileValue.map(jsonWritable).filter((text): text is string => text !== null);
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        reached.splice(0);
        const value: unknown = JSON.parse(body);
        const isValid = schema ? schema.safeParse(value).success : value === null;
        const reply = await send(`/api/${method}`, body);
        if (!isValid) return expectRefused(reply);
        expect(reply.json).toMatchObject({ ok: true });
        expect(reached.map((r) => r.method)).toEqual([method]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('browser mode HTTP fuzzed with bodies, paths and headers', () => {
  it('answers any raw body with an IpcResult, never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STUDIO_METHODS), fc.string({ unit: 'binary', maxLength: 300 }), async (method, body) => {
        reached.splice(0);
        const reply = await send(`/api/${method}`, body);
        expect(reply.status).toBeLessThan(500);
        expect(reply.json).toHaveProperty('ok');
        if (reached.length > 0) expect((reply.json as { ok: boolean }).ok).toBe(true);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('refuses any name under /api/ that is not a method', async () => {
    const names = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'onEvent', 'dispose', 'readRunFiles', 'host', 'getStatus/', 'GETSTATUS'),
      fc.webSegment(),
    );
    await fc.assert(
      fc.asyncProperty(
        names.filter((n) => !(STUDIO_METHODS as readonly string[]).includes(n)),
        async (name) => {
          reached.splice(0);
          expectRefused(await send(`/api/${name}`, 'null'));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses every request without the token, whatever its path and body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.constantFrom('GET', 'POST', 'HEAD'), fc.json(), async (pathname, method, body) => {
        reached.splice(0);
        const reply = await send(pathname.startsWith('/') ? pathname : `/${pathname}`, method === 'POST' ? body : '', {}, method);
        expect([400, 403, 405]).toContain(reply.status);
        expect(reached).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a foreign Host or Origin even with the token', async () => {
    const hosts = fc.oneof(fc.domain(), fc.ipV4(), fc.constantFrom('127.0.0.1.nip.io', 'localhost.evil', '[::2]'));
    const origins = fc.oneof(
      fc.webUrl().map((url) => new URL(url).origin),
      fc.constantFrom('null', 'file://', 'http://127.0.0.1'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STUDIO_METHODS), hosts, origins, fc.boolean(), async (method, host, origin, isHostForged) => {
        reached.splice(0);
        if (origin === `http://127.0.0.1:${server.port}` || (isHostForged && isLoopbackHost(host))) return;
        const headers: Record<string, string> = isHostForged ? { cookie, host } : { cookie, origin };
        const reply = await send(`/api/${method}`, 'null', headers);
        expect([403, 421]).toContain(reply.status);
        expect(reached).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
