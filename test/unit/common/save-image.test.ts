import { describe, expect, it } from 'vitest';
import { MAX_SAVED_IMAGE_BASE64, SaveImageRequestSchema } from '../../../common/api';

/** The 8-byte PNG signature and the first byte of the IHDR chunk's length, which is always 0. */
const PNG_START = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0];
const base64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
const accepts = (png: unknown) => SaveImageRequestSchema.safeParse({ fileName: 'chart.png', png }).success;

describe('SaveImageRequestSchema', () => {
  it('accepts a PNG in base64 whatever its length modulo three (with and without padding)', () => {
    for (const extra of [[], [1], [1, 2], [1, 2, 3]]) expect(accepts(base64([...PNG_START, ...extra]))).toBe(true);
  });

  it('refuses bytes that are not a PNG (a JPEG, an SVG as text)', () => {
    expect(accepts(base64([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49]))).toBe(false);
    expect(accepts(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'))).toBe(false);
  });

  it('refuses a data: URL, characters outside base64 and a cut-off group', () => {
    const png = base64([...PNG_START, 1, 2, 3]);
    expect(accepts(`data:image/png;base64,${png}`)).toBe(false);
    expect(accepts(`${png.slice(0, 12)}\n${png.slice(12)}`)).toBe(false);
    expect(accepts(`${png}-_`)).toBe(false);
    expect(accepts(png.slice(0, -1))).toBe(false);
  });

  it(`refuses more than ${MAX_SAVED_IMAGE_BASE64} characters, quickly`, () => {
    const started = performance.now();
    expect(accepts(`iVBORw0KGgoA${'AAAA'.repeat(MAX_SAVED_IMAGE_BASE64 / 4)}`)).toBe(false);
    expect(accepts(`iVBORw0KGgoA${'AAAA'.repeat(MAX_SAVED_IMAGE_BASE64 / 4 - 3)}`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses extra keys and a missing file name', () => {
    const png = base64(PNG_START);
    expect(SaveImageRequestSchema.safeParse({ fileName: 'a.png', png, path: '/etc/x' }).success).toBe(false);
    expect(SaveImageRequestSchema.safeParse({ png }).success).toBe(false);
  });
});
