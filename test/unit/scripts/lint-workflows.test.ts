import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { lintWorkflows } from '../../../scripts/lint-workflows.mjs';

type Lint = (dir?: string) => Promise<{ files: string[]; findings: string[] }>;
const lint = lintWorkflows as Lint;

const dir = mkdtempSync(path.join(tmpdir(), 'lstm-workflows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lintWorkflows()', () => {
  it("finds nothing in the repository's workflows, the release workflow among them", async () => {
    const { files, findings } = await lint();
    expect(files).toContain('release.yml');
    expect(findings).toEqual([]);
  });

  it('reports a misspelt trigger key and an undefined context property, with file and line', async () => {
    writeFileSync(
      path.join(dir, 'broken.yml'),
      [
        'name: broken',
        'on:',
        '  push:',
        "    tagz: ['v*']",
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "${{ github.refname }}"',
        '',
      ].join('\n'),
    );
    const { findings } = await lint(dir);
    expect(findings.some((f) => /broken\.yml:4:5: unexpected key "tagz"/.test(f))).toBe(true);
    expect(findings.some((f) => /broken\.yml:9:.*property "refname" is not defined/.test(f))).toBe(true);
  });
});
