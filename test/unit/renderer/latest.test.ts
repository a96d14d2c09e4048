import { describe, expect, it } from 'vitest';
import { LatestRunner } from '../../../renderer/src/lib/latest';

/** A task whose calls resolve when the test says so. */
function controllable() {
  const calls: { input: number; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const task = (input: number) => new Promise<string>((resolve, reject) => calls.push({ input, resolve, reject }));
  return { calls, task };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LatestRunner', () => {
  it('runs at most one call at a time and then only the newest waiting input', async () => {
    const { calls, task } = controllable();
    const results: string[] = [];
    const runner = new LatestRunner(task, { onResult: (r) => results.push(r), onError: () => {} });
    runner.submit(1);
    runner.submit(2);
    runner.submit(3);
    expect(calls.map((c) => c.input)).toEqual([1]);
    expect(runner.isBusy).toBe(true);
    calls[0].resolve('one');
    await flush();
    expect(calls.map((c) => c.input)).toEqual([1, 3]);
    calls[1].resolve('three');
    await flush();
    expect(results).toEqual(['one', 'three']);
    expect(runner.isBusy).toBe(false);
  });

  it('drops the answer in flight and the waiting input after cancel()', async () => {
    const { calls, task } = controllable();
    const results: string[] = [];
    const runner = new LatestRunner(task, { onResult: (r) => results.push(r), onError: () => {} });
    runner.submit(1);
    runner.submit(2);
    runner.cancel();
    calls[0].resolve('stale');
    await flush();
    expect(results).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('reports errors and keeps going', async () => {
    const { calls, task } = controllable();
    const errors: unknown[] = [];
    const runner = new LatestRunner(task, { onResult: () => {}, onError: (e) => errors.push(e) });
    runner.submit(1);
    runner.submit(2);
    calls[0].reject(new Error('boom'));
    await flush();
    expect(errors).toHaveLength(1);
    expect(calls.map((c) => c.input)).toEqual([1, 2]);
  });
});
