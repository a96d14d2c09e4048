import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readWindowState, windowStatePath, writeWindowState, writeWindowStateSync } from '../../../../main/store/window-state-store';
import type { WindowState } from '../../../../main/store/window-state-store';

const STATE: WindowState = { formatVersion: 1, bounds: { x: -1600, y: 40, width: 1400, height: 900 }, isMaximized: true };

let root: string;
let file: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lstm-studio-window-'));
  file = windowStatePath(root);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('window state store', () => {
  it('round-trips what it saved, async and blocking alike', async () => {
    await writeWindowState(file, STATE);
    expect(readWindowState(file)).toEqual(STATE);
    writeWindowStateSync(file, { ...STATE, isMaximized: false });
    expect(readWindowState(file)).toEqual({ ...STATE, isMaximized: false });
    // Written by rename: no temp file is left beside it.
    expect(readdirSync(root)).toEqual(['window-state.json']);
  });

  it('reads a missing file as nothing saved', () => {
    expect(readWindowState(file)).toBeNull();
  });

  it('survives a damaged file: cut short, not JSON, or the wrong shape', () => {
    const damaged = [
      JSON.stringify(STATE).slice(0, 30),
      '\u0000\u0001garbage',
      JSON.stringify({ ...STATE, formatVersion: 2 }),
      JSON.stringify({ ...STATE, bounds: { x: 0, y: 0, width: -5, height: 900 } }),
      JSON.stringify({ ...STATE, bounds: { ...STATE.bounds, x: 'left' } }),
      JSON.stringify({ ...STATE, extra: true }),
      'null',
    ];
    for (const text of damaged) {
      writeFileSync(file, text);
      expect(readWindowState(file)).toBeNull();
    }
  });

  it('refuses to save a state that it would not read back', async () => {
    await expect(writeWindowState(file, { ...STATE, bounds: { ...STATE.bounds, width: 0.5 } })).rejects.toThrow();
    expect(() => readFileSync(file)).toThrow();
  });
});
