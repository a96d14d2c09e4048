/**
 * Builds the renderer: `vite build -c renderer/vite.config.ts` → out/renderer/index.html.
 * `base: './'` because Electron loads the page from file://, where absolute `/assets/…` paths
 * would point at the file-system root.
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server injects component CSS as <style> elements and talks HMR over a websocket,
 * both of which the strict CSP forbids. Relax it for `vite serve` only; built files keep it.
 */
function devCsp(): Plugin {
  return {
    name: 'lstm-studio:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*"),
  };
}

export default defineConfig({
  root,
  base: './',
  // No svelte.config.js: the whole renderer build is configured here.
  plugins: [svelte({ configFile: false }), devCsp()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Electron 41 ships a current Chromium; no legacy syntax lowering needed.
    target: 'es2022',
    // Chromium supports <link rel=modulepreload>; the polyfill would only add code.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
