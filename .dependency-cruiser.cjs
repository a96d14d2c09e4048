/**
 * The layering rules of docs/ARCHITECTURE.md, checked by `npm run lint` (dependency-cruiser):
 * no import cycles; `electron` only in the Electron shell (main/app) and the sandboxed preload;
 * the wasm fast paths reached only through main/engine/wasm/index.ts; the store free of the
 * engine; the queue (main/queue/) free of the engine and the shells, and the only user of Redis;
 * the renderer and common/ free of main/.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle: break it by moving the shared part down a layer.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'electron-only-in-the-app-shell',
      severity: 'error',
      comment: 'Only main/app/ (and the preload entry) may import electron: everything else runs in plain Node too.',
      from: { pathNot: ['^main/app/', '^preload/index\\.ts$'] },
      to: { path: '^electron$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'wasm-through-its-entry-points',
      severity: 'error',
      comment: 'Code outside main/engine/wasm/ reaches the wasm fast paths only through main/engine/wasm/index.ts.',
      from: { pathNot: ['^main/engine/wasm/', '^test/'] },
      to: { path: '^main/engine/wasm/', pathNot: '^main/engine/wasm/index\\.ts$' },
    },
    {
      name: 'store-without-engine',
      severity: 'error',
      comment: 'The run store is read by main without TensorFlow: it must not import the engine.',
      from: { path: '^main/store/' },
      to: { path: ['^main/engine/', '@tensorflow'] },
    },
    {
      name: 'queue-without-engine-or-shell',
      severity: 'error',
      comment:
        'main/queue/ (sweeps on workers, BullMQ on Redis) runs in the service and in npm run worker: it trains through the trainer host it is handed, never loading the engine, Electron, browser mode or the CLI.',
      from: { path: '^main/queue/' },
      to: { path: ['^main/(engine|app|web|cli)/', '@tensorflow'] },
    },
    {
      name: 'redis-only-through-the-queue',
      severity: 'error',
      comment: 'BullMQ and ioredis are reached only from main/queue/ (and the tests and bench that start a Redis of their own).',
      from: { pathNot: ['^main/queue/', '^test/', '^scripts/'] },
      to: { path: '(^|/)node_modules/(bullmq|ioredis)/' },
    },
    {
      name: 'common-loads-everywhere',
      severity: 'error',
      comment: 'common/ is loaded by every runtime: zod and itself only.',
      from: { path: '^common/' },
      to: { path: '^(main|preload|renderer)/' },
    },
    {
      name: 'renderer-without-main',
      severity: 'error',
      comment: 'The renderer talks to main only through window.lstm.',
      from: { path: '^renderer/' },
      to: { path: '^main/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^out/', '\\.generated\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.svelte'],
    },
  },
};
