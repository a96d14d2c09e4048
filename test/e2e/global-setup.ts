import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Where the e2e flows' copy of the renderer is built: a private folder, so a rebuild of
 * out/renderer by someone else (or `npm start`) in the middle of a run cannot pull the page
 * out from under the browser. Vite's output is otherwise the same as the app's.
 */
export const E2E_RENDERER_DIR = path.resolve('test-results', 'e2e-renderer');

/** Builds the worker bundle (esbuild) and the renderer (vite) the flows drive. */
export default function setup(): void {
  const node = process.execPath;
  execFileSync(node, ['scripts/build-engine.mjs'], { stdio: 'inherit' });
  const vite = path.join('node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(node, [vite, 'build', '-c', 'renderer/vite.config.ts', '--outDir', E2E_RENDERER_DIR, '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}
