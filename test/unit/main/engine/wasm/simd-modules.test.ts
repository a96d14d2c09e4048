import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { SIMD_MODULES, assembleSimd, generatedPath, generatedSource } from '../../../../../scripts/build-simd.mjs';

describe('the shipped WebAssembly modules', () => {
  it.each((SIMD_MODULES as { name: string }[]).map(({ name }) => name))(
    'are the bytes assembled from %s.wat (run `npm run build:simd` after editing it)',
    async (name) => {
      expect(readFileSync(generatedPath(name), 'utf8')).toBe(generatedSource(name, await assembleSimd(name)));
    },
  );
});
