// Bundles every Node/Electron-side entry point with esbuild (the renderer is built by Vite).
// npm packages stay external so the optional native backend is resolved at run time; the
// sandboxed preload is the exception: it cannot require anything, so it is fully bundled.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = (p) => path.join(root, p);

/** [entry source, output file, extra esbuild options] */
const targets = [
  ['main/engine/worker.ts', 'out/worker/worker.mjs', { format: 'esm', packages: 'external' }],
  // The trainer's gradient helper thread; found next to worker.mjs at run time.
  ['main/engine/parallel/grad-worker.ts', 'out/worker/grad-worker.mjs', { format: 'esm', packages: 'external' }],
  ['main/cli/cli.ts', 'out/cli/cli.mjs', { format: 'esm', packages: 'external' }],
  ['main/cli/sweep-cli.ts', 'out/cli/sweep.mjs', { format: 'esm', packages: 'external' }],
  // A sweep's trials on another machine, through BullMQ on Redis.
  ['main/cli/worker-cli.ts', 'out/cli/worker.mjs', { format: 'esm', packages: 'external' }],
  ['main/cli/drawn-cli.ts', 'out/cli/drawn.mjs', { format: 'esm', packages: 'external' }],
  ['scripts/bench.ts', 'out/cli/bench.mjs', { format: 'esm', packages: 'external' }],
  ['scripts/soak.ts', 'out/cli/soak.mjs', { format: 'esm', packages: 'external' }],
  ['main/app/index.ts', 'out/main/index.cjs', { format: 'cjs', packages: 'external' }],
  ['preload/index.ts', 'out/preload/index.cjs', { format: 'cjs', external: ['electron'] }],
  // Browser mode: the loopback server, and the page's window.lstm (a browser script, fully bundled).
  ['main/web/serve-cli.ts', 'out/web/serve.mjs', { format: 'esm', packages: 'external' }],
  ['preload/web-bridge.ts', 'out/web/bridge.js', { format: 'iife', platform: 'browser', target: 'chrome120' }],
];

await Promise.all(
  targets
    .filter(([src]) => existsSync(at(src)))
    .map(([src, out, options]) =>
      build({
        entryPoints: [at(src)],
        outfile: at(out),
        bundle: true,
        platform: 'node',
        target: 'node20',
        sourcemap: 'linked',
        logLevel: 'warning',
        ...options,
      }),
    ),
);
