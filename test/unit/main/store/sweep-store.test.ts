/**
 * The sweep store on a real folder: atomic saves in order, validated loads, and every way a
 * sweep file can be damaged refused with the reason and left untouched.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SweepStore } from '../../../../main/store/sweep-store';
import { makeSweepState } from './sweep-fixtures';

let dir: string;
let store: SweepStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sweep-store-'));
  store = new SweepStore(path.join(dir, 'sweeps'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('SweepStore', () => {
  it('saves and loads a sweep; later saves win even when issued back to back; no temp file stays', async () => {
    const state = makeSweepState('sweep-a');
    const saves = [1, 2, 3].map((n) => store.save({ ...state, name: `v${n}` }));
    await Promise.all(saves);
    expect((await store.load('sweep-a')).name).toBe('v3');
    expect(await readdir(path.join(dir, 'sweeps'))).toEqual(['sweep-a.json']);
  });

  it('lists sweeps newest first with their progress, and damaged files apart with the reason', async () => {
    await store.save(makeSweepState('sweep-old', { createdAt: '2026-12-01T00:00:00.000Z' }));
    await store.save(
      makeSweepState('sweep-new', {
        status: 'interrupted',
        trials: makeSweepState('x').trials.map((t, i) => ({ ...t, status: i === 0 ? 'done' : 'pending' })),
      }),
    );
    await writeFile(store.fileOf('sweep-bad'), '{"formatVersion": 1');
    await writeFile(path.join(dir, 'sweeps', 'notes.txt'), 'not a sweep');
    const { sweeps, damaged } = await store.list();
    expect(sweeps.map((s) => [s.sweepId, s.status, s.finished, s.trialCount])).toEqual([
      ['sweep-new', 'interrupted', 1, 2],
      ['sweep-old', 'done', 2, 2],
    ]);
    expect(sweeps[1].bestValidation).toBeCloseTo(0.91);
    expect(damaged).toEqual([{ sweepId: 'sweep-bad', message: expect.stringMatching(/sweeps\/sweep-bad.json: not valid JSON/) }]);
  });

  it.each([
    [
      'a trial out of place',
      (s: Record<string, unknown>) => ({ ...s, trials: [...(s.trials as unknown[])].reverse() }),
      /trials\[0\]\.index: expected 0/,
    ],
    ['an unknown status', (s: Record<string, unknown>) => ({ ...s, status: 'paused' }), /status: expected "running" or/],
    [
      'a plan the plan schema refuses',
      (s: Record<string, unknown>) => ({ ...s, plan: { ...(s.plan as object), seedsPerConfig: 99 } }),
      /plan\.seedsPerConfig: expected at most 10/,
    ],
    ['another sweep’s file', (s: Record<string, unknown>) => ({ ...s, sweepId: 'sweep-other' }), /belongs to sweep sweep-other/],
    ['no trials', (s: Record<string, unknown>) => ({ ...s, trials: [] }), /trials: expected at least 1 items/],
  ])('refuses %s as sweep-corrupt, naming the field, and leaves the file as it was', async (_label, damage, message) => {
    await store.save(makeSweepState('sweep-a'));
    const text = JSON.stringify(damage(JSON.parse(await readFile(store.fileOf('sweep-a'), 'utf8')) as Record<string, unknown>));
    await writeFile(store.fileOf('sweep-a'), text);
    await expect(store.load('sweep-a')).rejects.toMatchObject({ code: 'sweep-corrupt', message: expect.stringMatching(message) });
    expect(await readFile(store.fileOf('sweep-a'), 'utf8')).toBe(text);
  });

  it('says when there is no such sweep, and deletes one (a damaged one too)', async () => {
    await expect(store.load('sweep-none')).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.delete('sweep-none')).rejects.toMatchObject({ code: 'not-found' });
    await writeFile(path.join(dir, 'placeholder'), '');
    await store.save(makeSweepState('sweep-a'));
    await writeFile(store.fileOf('sweep-a'), 'garbage');
    await store.delete('sweep-a');
    expect(await readdir(path.join(dir, 'sweeps'))).toEqual([]);
  });
});
