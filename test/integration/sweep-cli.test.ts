/**
 * `npm run sweep` as a person runs it: the bundled CLI (built by the global setup) in a child
 * process with its own data folder, a real tiny sweep from a config file, and configs it must
 * refuse with the field named.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';
import { parseSweepArgs, parseSweepConfig } from '../../main/cli/sweep-args';

const root = mkdtempSync(path.join(os.tmpdir(), 'sweep-cli-test-'));

const sweep = (args: string[]) => runCli('sweep.mjs', args, root);

function config(name: string, plan: unknown): string {
  const file = path.join(root, name);
  writeFileSync(file, typeof plan === 'string' ? plan : JSON.stringify(plan));
  return file;
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run sweep', () => {
  it('runs a sweep from a config file: a line per trial, the ranking, runs saved and tagged', async () => {
    const file = config('tiny.json', {
      name: 'cli sweep',
      base: { units: 8, budget: 20, batchSize: 32, validationInterval: 10, learningRate: 0.01 },
      vary: { units: { mode: 'list', values: [8, 12] } },
      seedsPerConfig: 2,
      trainLimit: 800,
      testLimit: 200,
    });
    const result = await sweep(['--config', file]);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sweep "cli sweep": 2 configurations, 4 trials/);
    for (let k = 1; k <= 4; k++)
      expect(result.stdout).toMatch(
        new RegExp(`trial ${k}/4  units=(8|12) seed=[12]  done  best val +\\d+\\.\\d\\d%  test +\\d+\\.\\d\\d%  20/20 it`),
      );
    expect(result.stdout).toMatch(/Configurations, best validation accuracy first \(mean ± std over seeds\):/);
    expect(result.stdout).toMatch(/\* {2}1\. units=(8|12) +val +\d+\.\d\d% ± \d+\.\d\d/);
    expect(readdirSync(path.join(root, 'runs'))).toHaveLength(4);
    const listed = await sweep(['--list']);
    expect(listed.stdout).toMatch(/sweep-\S+ {2}done {8}4\/4 trials {2}best val/);
  });

  it('checks a plan with --dry-run: trials and estimate, nothing trained', async () => {
    const file = config('dry.json', {
      base: { budget: 100 },
      vary: { learningRate: { mode: 'list', values: [0.001, 0.01] } },
      seedsPerConfig: 3,
    });
    const result = await sweep(['--config', file, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 configurations, 6 trials/);
    expect(result.stdout).toMatch(/About \d+:\d\d on this machine/);
    expect(result.stdout).toMatch(/trial 6: \{"cell":"lstm".*"learningRate":0.01.*"seed":3\}/);
  });

  it('refuses bad configs, naming the field, with exit code 2', async () => {
    const cases: [unknown, RegExp][] = [
      ['{"base": {', /not valid JSON/],
      [{ base: {}, vary: { units: { mode: 'list', values: [8, 2000] } } }, /units value 2: .*1024.*\(got 2000\)/],
      [{ base: { units: 0 }, vary: {} }, /base\.units: expected at least 1, got 0/],
      [{ base: {}, vary: { units: { mode: 'steps' } } }, /vary\.units\.mode/],
      [{ base: {}, vary: {}, seedsPerConfig: 11 }, /seedsPerConfig: expected at most 10, got 11/],
      [{ base: {}, vary: { layers: { mode: 'range', min: 1, max: 4 } } }, /a grid search needs a list of values/],
    ];
    for (const [plan, message] of cases) {
      const result = await sweep(['--config', config('bad.json', plan)]);
      expect(result.code, JSON.stringify(plan)).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect((await sweep(['--config', path.join(root, 'missing.json')])).stderr).toMatch(/no such file/);
  });

  it('parses its flags strictly', () => {
    expect(parseSweepArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseSweepArgs([])).toMatchObject({ kind: 'error', message: expect.stringMatching(/Give one of --config/) });
    expect(parseSweepArgs(['--config', 'a.json', '--list'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/not several/),
    });
    expect(parseSweepArgs(['--resume', '../etc'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/not a sweep id/) });
    expect(parseSweepArgs(['--confg', 'a.json'])).toMatchObject({ kind: 'error' });
    expect(parseSweepArgs(['--config', 'a.json', '--backend', 'wasm'])).toMatchObject({
      kind: 'sweep',
      options: { action: { kind: 'run', configPath: 'a.json', isDryRun: false }, backend: 'wasm' },
    });
    expect(parseSweepConfig('{"base":{},"vary":{},"seedsPerConfig":2}', 'x.json')).toMatchObject({ ok: true });
  });
});
