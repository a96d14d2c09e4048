import { describe, expect, it, vi } from 'vitest';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { dispatch, isRendererUrl } from '../../../../main/service/ipc-dispatch';
import { StudioError } from '../../../../common/errors';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import { fakeService } from './fake-service';

const quiet = () => undefined;

describe('dispatch()', () => {
  it('calls the service with the parsed payload (defaults applied) and wraps the value', async () => {
    const service = fakeService();
    const result = await dispatch('startTraining', { hyperparams: { units: 16 } }, true, service, quiet);
    expect(result).toEqual({ ok: true, value: { runId: 'r1' } });
    expect(service.startTraining).toHaveBeenCalledWith({ hyperparams: { ...DEFAULT_HYPERPARAMS, units: 16 } });
  });

  it.each([
    ['startTraining', { hyperparams: { units: 0 } }, 'hyperparams.units'],
    ['startTraining', { hyperparams: {}, evil: true }, 'evil'],
    ['startTraining', 'not an object', '(request)'],
    ['predict', { runId: 'r1', pixels: [1, 2] }, 'pixels'],
    ['predict', { runId: '../etc', pixels: new Array(784).fill(0) }, 'runId'],
    ['loadRun', { runId: 42 }, 'runId'],
    ['getStatus', { unexpected: 1 }, 'takes no argument'],
  ] as const)('rejects a bad %s payload with invalid-input naming %s, before the service', async (method, payload, field) => {
    const service = fakeService();
    const result = await dispatch(method, payload, true, service, quiet);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.message).toContain(field);
    expect(service[method]).not.toHaveBeenCalled();
  });

  it('refuses an untrusted sender without calling the service', async () => {
    const service = fakeService();
    const result = await dispatch('listRuns', undefined, false, service, quiet);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(service.listRuns).not.toHaveBeenCalled();
  });

  it('refuses names that are not methods, including inherited ones', async () => {
    const service = fakeService();
    for (const name of ['toString', '__proto__', 'constructor', 'dispose', 42]) {
      const result = await dispatch(name, undefined, true, service, quiet);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
  });

  it('passes a StudioError through with its code and message, without logging it', async () => {
    const service = fakeService();
    service.startTraining.mockRejectedValueOnce(new StudioError('busy', 'A training run is already in progress'));
    const log = vi.fn();
    const result = await dispatch('startTraining', { hyperparams: {} }, true, service, log);
    expect(result).toEqual({ ok: false, error: { code: 'busy', message: 'A training run is already in progress' } });
    expect(log).not.toHaveBeenCalled();
  });

  it('maps an unexpected error to internal and logs it with its stack', async () => {
    const service = fakeService();
    const boom = new TypeError('cannot read x of undefined');
    service.listRuns.mockRejectedValueOnce(boom);
    const log = vi.fn();
    const result = await dispatch('listRuns', null, true, service, log);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'cannot read x of undefined' } });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('listRuns'), boom);
  });

  it('maps a disk-full errno to the disk code', async () => {
    const service = fakeService();
    service.deleteRun.mockRejectedValueOnce(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', path: '/x' }));
    const result = await dispatch('deleteRun', { runId: 'r1' }, true, service, quiet);
    expect(result).toMatchObject({ ok: false, error: { code: 'disk' } });
  });
});

describe('isRendererUrl()', () => {
  const index = path.resolve('/app/out/renderer/index.html');
  const href = pathToFileURL(index).href;

  it('accepts our index.html over file://, with or without a hash or query', () => {
    expect(isRendererUrl(href, index)).toBe(true);
    expect(isRendererUrl(`${href}#/runs`, index)).toBe(true);
    expect(isRendererUrl(`${href}?x=1`, index)).toBe(true);
  });

  it('refuses other files, other schemes and garbage', () => {
    expect(isRendererUrl(pathToFileURL('/app/out/renderer/other.html').href, index)).toBe(false);
    expect(isRendererUrl(pathToFileURL('/evil/out/renderer/index.html').href, index)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1/index.html', index)).toBe(false);
    expect(isRendererUrl('file://evil.example/app/out/renderer/index.html', index)).toBe(false);
    expect(isRendererUrl('about:blank', index)).toBe(false);
    expect(isRendererUrl('not a url', index)).toBe(false);
  });
});
