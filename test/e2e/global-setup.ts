import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium } from './harness/chromium';

/**
 * Where the e2e flows' copy of the renderer is built: a private folder, so a rebuild of
 * out/renderer by someone else (or `npm start`) in the middle of a run cannot pull the page
 * out from under the browser. Vite's output is otherwise the same as the app's.
 */
export const E2E_RENDERER_DIR = path.resolve('test-results', 'e2e-renderer');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser every flow launches (harness/chromium.ts), found once. */
    chromiumPath: string;
  }
}

/** Builds the bundles (esbuild) and the renderer (vite) the flows drive, and finds a browser. */
export default async function setup(project: TestProject): Promise<void> {
  const node = process.execPath;
  execFileSync(node, ['scripts/build-engine.mjs'], { stdio: 'inherit' });
  const vite = path.join('node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(node, [vite, 'build', '-c', 'renderer/vite.config.ts', '--outDir', E2E_RENDERER_DIR, '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  const chromium = await findChromium();
  console.log(`e2e browser: ${chromium.path} (${chromium.source})`);
  project.provide('chromiumPath', chromium.path);
}
