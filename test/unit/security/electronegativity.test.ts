/**
 * The Electronegativity gate (scripts/electronegativity-gate.mjs) passes on this repository and
 * provably fails on insecure code: a gate that cannot fail proves nothing. Each run spawns the
 * real script, which runs the real scanner (about 2–8 s; it waits up to 1 s for an online
 * translation file it never gets here).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const GATE = path.join(REPO, 'scripts', 'electronegativity-gate.mjs');

interface GateRun {
  code: number;
  output: string;
}

function runGate(root: string): Promise<GateRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [GATE, root], { cwd: REPO, timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

let fixtures: string;

/** A tiny app folder with the given files, and the electron pin the scanner reads from package.json. */
async function fixtureApp(name: string, files: Record<string, string>): Promise<string> {
  const root = path.join(fixtures, name);
  const packageJson = JSON.stringify({ name, version: '1.0.0', devDependencies: { electron: '41.7.1' } });
  for (const [file, text] of Object.entries({ 'package.json': packageJson, ...files })) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

const INSECURE_WINDOW = `
import { BrowserWindow } from 'electron';
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });
  window.loadFile('index.html');
  return window;
}
`;

beforeAll(async () => {
  fixtures = await mkdtemp(path.join(os.tmpdir(), 'electronegativity-fixtures-'));
});

afterAll(async () => {
  await rm(fixtures, { recursive: true, force: true });
});

describe('electronegativity-gate.mjs', () => {
  it('passes on this repository, listing every waiver with its reason', async () => {
    const { code, output } = await runGate(REPO);
    expect(output).toContain('PASSED');
    expect(code).toBe(0);
    expect(output).toMatch(/scanned: common, main, preload/);
    expect(output).not.toMatch(/NOT SCANNED/);
    // Never silent: each waived finding is printed with its reason.
    expect(output.match(/^\s+why: \S/gm)?.length ?? 0).toBe(output.match(/^\s+waived /gm)?.length ?? 0);
  });

  it('fails on a window with nodeIntegration on and contextIsolation off, naming both checks', async () => {
    const root = await fixtureApp('insecure', { 'main/app/window.ts': INSECURE_WINDOW });
    const { code, output } = await runGate(root);
    expect(code).toBe(1);
    expect(output).toContain('FAILED');
    // Electronegativity rates an explicit nodeIntegration: true INFORMATIONAL; the gate raises it.
    expect(output).toMatch(/FAIL HIGH +\S+ +NODE_INTEGRATION_JS_CHECK\n +main\/app\/window\.ts:4:\d+ .*\n +raised by the gate/);
    expect(output).toMatch(/FAIL HIGH +\S+ +CONTEXT_ISOLATION_JS_CHECK\n +main\/app\/window\.ts:4:/);
  });

  it('waives a check only in the file its waiver names: openExternal elsewhere still fails', async () => {
    const root = await fixtureApp('open-external', {
      'main/links.ts': `import { shell } from 'electron';\nexport const open = (url: string) => shell.openExternal(url);\n`,
    });
    const { code, output } = await runGate(root);
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL .*OPEN_EXTERNAL_JS_CHECK[\s\S]*main\/links\.ts/);
    expect(output).toMatch(/waiver OPEN_EXTERNAL_JS_CHECK in main\/app\/security\.ts matched nothing/);
  });

  it('fails when a file cannot be parsed, since an unparsed file was never checked', async () => {
    const root = await fixtureApp('unparsable', { 'main/broken.ts': 'export const = ;;; {{{\n' });
    const { code, output } = await runGate(root);
    expect(code).toBe(1);
    expect(output).toMatch(/NOT SCANNED: main\/broken\.ts/);
  });

  it('refuses a folder with nothing to scan, rather than passing it', async () => {
    const root = await mkdtemp(path.join(fixtures, 'empty-'));
    const { code, output } = await runGate(root);
    expect(code).toBe(2);
    expect(output).toMatch(/nothing to scan/);
  });
});
