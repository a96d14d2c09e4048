import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archivedLogPath, createFileLogger } from '../../../../main/service/log-file';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lstm-studio-log-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const LINE = 'x'.repeat(100);

describe('createFileLogger()', () => {
  it('writes info, warnings and errors (with the stack) to the file it is given, creating its folder', () => {
    const file = path.join(dir, 'logs', 'browser.log');
    const log = createFileLogger(file, { consoleLevel: false });
    log.info('started');
    log.warn('a warning');
    log.error('it broke:', new Error('out of memory'));
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/\[info\]\s+started/);
    expect(text).toMatch(/\[warn\]\s+a warning/);
    expect(text).toMatch(/\[error\]\s+it broke: Error: out of memory\n\s+at /);
  });

  it('rotates past maxBytes: the current file stays small, the previous ones are kept, the oldest dropped', () => {
    const file = path.join(dir, 'main.log');
    const log = createFileLogger(file, { maxBytes: 2_000, archives: 2, consoleLevel: false });
    for (let i = 0; i < 100; i++) log.info(`line ${i} ${LINE}`);
    expect(statSync(file).size).toBeLessThanOrEqual(2_000 + 200);
    expect(existsSync(archivedLogPath(file, 1))).toBe(true);
    expect(existsSync(archivedLogPath(file, 2))).toBe(true);
    expect(existsSync(archivedLogPath(file, 3))).toBe(false);
    // The newest lines are in the current file, the ones just before them in .1, nothing lost between.
    const current = readFileSync(file, 'utf8');
    const previous = readFileSync(archivedLogPath(file, 1), 'utf8');
    expect(current).toContain('line 99 ');
    const firstCurrent = Number(/line (\d+) /.exec(current)?.[1]);
    expect(previous).toContain(`line ${firstCurrent - 1} `);
    expect(readFileSync(archivedLogPath(file, 2), 'utf8')).not.toContain('line 99 ');
  });

  it('appends to the file a previous session left, and rotates it when it is already too big', () => {
    const file = path.join(dir, 'main.log');
    writeFileSync(file, `${'old session\n'.repeat(300)}`);
    const log = createFileLogger(file, { maxBytes: 2_000, consoleLevel: false });
    log.info('new session');
    expect(readFileSync(archivedLogPath(file, 1), 'utf8')).toMatch(/^old session/);
    expect(readFileSync(file, 'utf8')).toMatch(/new session/);
  });
});

describe('archivedLogPath()', () => {
  it('numbers the archive before the extension', () => {
    expect(archivedLogPath(path.join('/l', 'main.log'), 2)).toBe(path.join('/l', 'main.2.log'));
  });
});
