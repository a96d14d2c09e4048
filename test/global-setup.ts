import { execFileSync } from 'node:child_process';

/** Tests spawn the real bundled worker, so build it first (esbuild: well under a second). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-engine.mjs'], { stdio: 'inherit' });
}
