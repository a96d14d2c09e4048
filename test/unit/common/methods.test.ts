import { describe, expect, it, vi } from 'vitest';
import { API_METHODS, apiFrom } from '../../../common/methods';
import { STUDIO_METHODS } from '../../../common/api';

describe('API_METHODS', () => {
  it('lists every method of the contract once, and nothing else', () => {
    expect([...API_METHODS].sort()).toEqual([...STUDIO_METHODS].sort());
    expect(new Set(API_METHODS).size).toBe(API_METHODS.length);
  });
});

describe('apiFrom()', () => {
  it('makes each method one call with its name and its argument', async () => {
    const call = vi.fn(async (method: string, payload?: unknown) => ({ method, payload }));
    const api = apiFrom(call);
    expect(Object.keys(api).sort()).toEqual([...API_METHODS].sort());
    await expect(api.loadRun({ runId: 'r' })).resolves.toEqual({ method: 'loadRun', payload: { runId: 'r' } });
    await api.listRuns();
    expect(call).toHaveBeenLastCalledWith('listRuns', undefined);
  });
});
