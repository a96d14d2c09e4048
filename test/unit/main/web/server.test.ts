import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../../../common/errors';
import { startWebServer } from '../../../../main/web/server';
import type { WebServer } from '../../../../main/web/server';
import { BRIDGE_SCRIPT_PATH } from '../../../../main/web/static-files';
import type { StudioEvent } from '../../../../common/api';
import { connectOutcome, externalAddress } from '../../../support/network';
import { fakeService } from '../service/fake-service';

/** The transport's view of the service: spies, so a refused request can be shown not to reach it. */
function evented() {
  const listeners = new Set<(event: StudioEvent) => void>();
  return {
    ...fakeService(),
    readRunFiles: vi.fn(async ({ runId }: { runId: string }) => {
      if (runId === 'gone') throw new StudioError('not-found', 'No run "gone"');
      return [
        { name: 'run.json', data: new TextEncoder().encode('{}') },
        { name: 'weights.bin', data: new Uint8Array([1, 2, 3]) },
      ];
    }),
    exportMyDigitsText: vi.fn(async () => '{"formatVersion":1,"revision":1,"digits":[]}\n'),
    onEvent: (callback: (event: StudioEvent) => void) => {
      listeners.add(callback);
      return () => void listeners.delete(callback);
    },
    emit: (event: StudioEvent) => listeners.forEach((l) => l(event)),
  };
}

let dir: string;
let service: ReturnType<typeof evented>;
let server: WebServer;
let cookie: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'web-server-'));
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><head><title>t</title><script type="module" src="/assets/app.js"></script></head>',
  );
  writeFileSync(path.join(dir, 'bridge.js'), '/* bridge */');
  service = evented();
  server = await startWebServer(service, { rendererDir: dir, bridgeScript: path.join(dir, 'bridge.js'), logError: () => undefined });
  cookie = `lstm_studio_${server.port}=${server.token}`;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request, so Host, Origin and Cookie can be anything (fetch forbids setting them). */
function request(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { host: `127.0.0.1:${server.port}`, ...options.headers };
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body ?? '');
  });
}

const call = (method: string, body: unknown, headers: Record<string, string> = { cookie }) =>
  request(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  });
const json = (reply: Reply): unknown => JSON.parse(reply.body.toString('utf8'));

describe('startWebServer', () => {
  it('listens on 127.0.0.1 and prints a launch URL carrying the token', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(new URL(server.launchUrl).searchParams.get('token')).toBe(server.token);
    expect(server.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('swaps the launch token for an HttpOnly, SameSite=Strict cookie and drops it from the address', async () => {
    const reply = await request(`/?token=${server.token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    expect(reply.headers['set-cookie']?.[0]).toBe(`${cookie}; Path=/; HttpOnly; SameSite=Strict`);
  });

  it('refuses a wrong launch token and sets no cookie', async () => {
    const reply = await request(`/?token=${'0'.repeat(48)}`);
    expect(reply.status).toBe(403);
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('forwards a call with the cookie or the header through dispatch and returns its IpcResult', async () => {
    expect(json(await call('startTraining', { hyperparams: { units: 8 } }))).toEqual({ ok: true, value: { runId: 'r1' } });
    expect(json(await call('listRuns', undefined, { 'x-lstm-token': server.token }))).toEqual({ ok: true, value: [] });
    expect(service.startTraining).toHaveBeenCalledTimes(1);
  });

  it('refuses calls without the right token before the service sees them', async () => {
    const wrong: Record<string, string>[] = [
      {},
      { cookie: `lstm_studio_${server.port}=${'x'.repeat(48)}` },
      { cookie: `lstm_studio_1=${server.token}` },
      { 'x-lstm-token': 'short' },
    ];
    for (const headers of wrong) {
      const reply = await call('deleteRun', { runId: 'r1' }, headers);
      expect(reply.status).toBe(403);
      expect(json(reply)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(service.deleteRun).not.toHaveBeenCalled();
  });

  it('refuses a request from another origin even with the token', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${server.port + 1}`, 'null']) {
      expect((await call('deleteRun', { runId: 'r1' }, { cookie, origin })).status).toBe(403);
    }
    expect((await call('listRuns', undefined, { cookie, origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    expect(service.deleteRun).not.toHaveBeenCalled();
  });

  it('refuses a foreign Host header (DNS rebinding) but accepts loopback names on any port (SSH tunnels)', async () => {
    expect((await request('/', { headers: { host: `evil.example:${server.port}`, cookie } })).status).toBe(421);
    expect((await request('/', { headers: { host: `127.0.0.1.evil.example`, cookie } })).status).toBe(421);
    expect((await request('/', { headers: { host: 'localhost:8000', cookie } })).status).toBe(200);
  });

  it('validates payloads as IPC does', async () => {
    expect(json(await call('predict', { runId: 'r', pixels: [2] }))).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(json(await request('/api/listRuns', { method: 'POST', headers: { cookie }, body: '{' }))).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect((await request('/api/listRuns', { headers: { cookie } })).status).toBe(405);
  });

  it('answers odd request targets (`*`, a full URL, `//`, which once crashed URL parsing) with a 4xx', async () => {
    for (const target of ['*', 'http://evil.example/']) expect((await request(target, { headers: { cookie } })).status).toBe(400);
    expect((await request('//', { headers: { cookie } })).status).toBe(403);
  });

  it('answers a body over 1 MiB with 413 and never passes it on', async () => {
    const reply = await request('/api/startTraining', { method: 'POST', headers: { cookie }, body: `"${'x'.repeat(2 << 20)}"` }).catch(
      (err: NodeJS.ErrnoException) => ({
        status: err.code === 'EPIPE' || err.code === 'ECONNRESET' ? 413 : 0,
        headers: {},
        body: Buffer.from('{}'),
      }),
    );
    expect(reply.status).toBe(413);
    expect(service.startTraining).toHaveBeenCalledTimes(1); // the one call of the test above, no more
  });

  it('offers the personal set as a download, with the token only', async () => {
    expect((await request('/download/my-digits.json')).status).toBe(403);
    const download = await request('/download/my-digits.json', { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe('attachment; filename="my-digits.json"');
    expect(JSON.parse(download.body.toString())).toEqual({ formatVersion: 1, revision: 1, digits: [] });
  });

  it('lets an importMyDigits body carry more than 1 MiB (an exported set), and no other call', async () => {
    const text = 'x'.repeat(2 << 20);
    const body = JSON.stringify({ text });
    const reply = await request('/api/importMyDigits', { method: 'POST', headers: { cookie }, body });
    expect(reply.status).toBe(200);
    expect(service.importMyDigits).toHaveBeenCalledWith({ text });
  });

  it('serves the renderer only with the token, with the app CSP and the bridge script first', async () => {
    expect((await request('/')).status).toBe(403);
    const index = await request('/', { headers: { cookie } });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    expect(index.headers['x-frame-options']).toBe('DENY');
    const html = index.body.toString('utf8');
    expect(html.indexOf(BRIDGE_SCRIPT_PATH)).toBeGreaterThan(0);
    expect(html.indexOf(BRIDGE_SCRIPT_PATH)).toBeLessThan(html.indexOf('/assets/app.js'));
    expect((await request(BRIDGE_SCRIPT_PATH, { headers: { cookie } })).body.toString()).toBe('/* bridge */');
    expect((await request('/missing.js', { headers: { cookie } })).status).toBe(404);
  });

  it('serves nothing outside the renderer folder', async () => {
    const secret = path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`);
    writeFileSync(secret, 'secret');
    for (const attempt of [
      `/../${path.basename(secret)}`,
      `/%2e%2e/${path.basename(secret)}`,
      `/..%2f${path.basename(secret)}`,
      '/%E0%A4%A',
      '/a%00b',
    ]) {
      expect((await request(attempt, { headers: { cookie } })).status).not.toBe(200);
    }
    rmSync(secret);
  });

  it('streams events as SSE, in order, only with the token', async () => {
    expect((await request('/api/events')).status).toBe(403);
    const stream = await new Promise<http.IncomingMessage>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { cookie } }, resolve);
    });
    expect(stream.headers['content-type']).toBe('text/event-stream');
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await vi.waitFor(() => expect(text).toContain(': connected'));
    service.emit({ type: 'worker-restarted', reason: 'a' });
    service.emit({ type: 'worker-restarted', reason: 'b' });
    await vi.waitFor(() => expect(text).toContain('"b"'));
    const reasons = [...text.matchAll(/^data: (.*)$/gm)].map((m) => (JSON.parse(m[1]) as { reason: string }).reason);
    expect(reasons).toEqual(['a', 'b']);
    stream.destroy();
  });

  it('sends a run as a zip of its folder, and says why when it cannot', async () => {
    const reply = await request('/download/r1.zip', { headers: { cookie } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toBe('attachment; filename="r1.zip"');
    const files = unzipSync(new Uint8Array(reply.body));
    expect(Object.keys(files).sort()).toEqual(['r1/run.json', 'r1/weights.bin']);
    expect([...files['r1/weights.bin']]).toEqual([1, 2, 3]);
    expect(json(await request('/download/gone.zip', { headers: { cookie } }))).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((await request('/download/r1.zip')).status).toBe(403);
  });
});

describe('startWebServer on a machine with a network address', () => {
  it.skipIf(!externalAddress)(`cannot be reached on ${externalAddress ?? 'a non-loopback address (none here)'}`, async () => {
    expect(await connectOutcome(externalAddress!, server.port)).toBe('ECONNREFUSED');
  });
});
