import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';

const root = mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));

/** Runs the bundled CLI (built by the global setup) with its own data folder. */
const cli = (args: string[]) => runCli('cli.mjs', args, root);

describe('npm run train', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('trains a short run, prints the test accuracy and saves the run', async () => {
    const out = path.join(root, 'my-runs');
    const result = await cli([
      '--iterations',
      '30',
      '--units',
      '16',
      '--batch',
      '32',
      '--lr',
      '0.01',
      '--train-limit',
      '1000',
      '--test-limit',
      '300',
      '--seed',
      '5',
      '--out',
      out,
      '--name',
      'cli test',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Run \S+ on the (wasm|tensorflow|cpu) backend, seed 5/);
    expect(result.stdout).toMatch(/Test accuracy on the first 300 test images: \d+\.\d\d %/);
    expect(result.stdout).toMatch(/Saved run \S+-lstm16 to /);
    expect(readdirSync(out)).toHaveLength(1);
  });

  it('prints JSON events with --json', async () => {
    const result = await cli([
      '--json',
      '--iterations',
      '10',
      '--units',
      '8',
      '--train-limit',
      '300',
      '--test-limit',
      '100',
      '--validation-interval',
      '0',
    ]);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.map((e) => e.type)).toEqual(['started', 'progress', 'done']);
  });

  it('lists every option with --help and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--iterations N');
    expect(result.stdout).toContain('(default: 0.001)');
  });

  it('exits 2 with a clear message on a bad option, training nothing', async () => {
    const result = await cli(['--units', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--units: .*expected number/);
    expect(result.stdout).toBe('');
  });
});
