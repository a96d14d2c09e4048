import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_HEADER, startHarness } from '../../e2e/harness/server';
import type { Harness } from '../../e2e/harness/server';
import type { StudioEvent } from '../../../preload/api';
import { fakeService } from '../main/fake-service';

function evented() {
  const listeners = new Set<(event: StudioEvent) => void>();
  return {
    ...fakeService(),
    onEvent: (callback: (event: StudioEvent) => void) => {
      listeners.add(callback);
      return () => void listeners.delete(callback);
    },
    emit: (event: StudioEvent) => listeners.forEach((l) => l(event)),
    get listenerCount() {
      return listeners.size;
    },
  };
}

let dir: string;
let harness: Harness<ReturnType<typeof evented>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'harness-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  harness = await startHarness(evented(), dir);
});

afterAll(async () => {
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (method: string, body: unknown, token: string | null = harness.token) =>
  fetch(new URL(`api/${method}`, harness.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { [TOKEN_HEADER]: token } : {}) },
    body: body === undefined ? '' : JSON.stringify(body),
  });

/** A raw request, so the Host header can be forged (fetch does not allow it). */
function rawGet(pathname: string, host: string): Promise<number> {
  const { port } = new URL(harness.url);
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('e2e harness server', () => {
  it('listens on loopback only', () => {
    expect(new URL(harness.url).hostname).toBe('127.0.0.1');
  });

  it('forwards a call with the token through dispatch and returns its IpcResult', async () => {
    const response = await post('startTraining', { hyperparams: { units: 8 } });
    expect(await response.json()).toEqual({ ok: true, value: { runId: 'r1' } });
    expect(harness.service.startTraining).toHaveBeenCalledTimes(1);
  });

  it('refuses calls without the right token before the service sees them', async () => {
    for (const token of [null, 'x'.repeat(harness.token.length), 'short']) {
      const response = await post('listRuns', undefined, token);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(harness.service.listRuns).not.toHaveBeenCalled();
  });

  it('validates payloads as IPC does', async () => {
    const response = await post('predict', { runId: 'r', pixels: [2] });
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const garbage = await fetch(new URL('api/listRuns', harness.url), { method: 'POST', headers: { [TOKEN_HEADER]: harness.token }, body: '{' });
    expect(await garbage.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('serves the renderer with the app CSP, and nothing outside its folder', async () => {
    const index = await fetch(harness.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(new URL('missing.js', harness.url))).status).toBe(404);
    // A real file just outside the served folder, asked for with raw and encoded dot segments.
    const secret = path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`);
    writeFileSync(secret, 'secret');
    const host = new URL(harness.url).host;
    for (const attempt of [`/../${path.basename(secret)}`, `/%2e%2e/${path.basename(secret)}`, `/..%2f${path.basename(secret)}`]) {
      expect(await rawGet(attempt, host)).not.toBe(200);
    }
    rmSync(secret);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect(await rawGet('/', `evil.example:${new URL(harness.url).port}`)).toBe(421);
  });

  it('streams events as SSE, in order, only with the token', async () => {
    expect((await fetch(new URL('api/events?token=nope', harness.url))).status).toBe(403);
    const controller = new AbortController();
    const response = await fetch(new URL(`api/events?token=${harness.token}`, harness.url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read(); // the ": connected" comment: subscribed by now
    harness.service.emit({ type: 'worker-restarted', reason: 'a' });
    harness.service.emit({ type: 'worker-restarted', reason: 'b' });
    let text = '';
    while (!text.includes('"b"')) text += new TextDecoder().decode((await reader.read()).value);
    const reasons = [...text.matchAll(/^data: (.*)$/gm)].map((m) => (JSON.parse(m[1]) as { reason: string }).reason);
    expect(reasons).toEqual(['a', 'b']);
    controller.abort();
  });
});
