import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../common/errors';
import { readError, toStoreError } from '../../../../main/store/store-fs';

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code, path: '/data/runs' });
}

describe('toStoreError()', () => {
  it.each([
    ['ENOSPC', /disk is full/],
    ['EROFS', /read-only/],
    ['EACCES', /permission/],
    ['ENOTDIR', /a file is in the way/],
  ])('turns %s into a disk error', (errno, message) => {
    const mapped = toStoreError(errnoError(errno));
    expect(mapped).toBeInstanceOf(StudioError);
    expect(mapped).toMatchObject({ code: 'disk', message: expect.stringMatching(message) });
  });

  it('passes unrelated errors through', () => {
    const err = new Error('boom');
    expect(toStoreError(err)).toBe(err);
  });
});

describe('readError()', () => {
  it('names a missing file as a damaged model', () => {
    expect(readError(errnoError('ENOENT'), 'r1/weights.bin')).toMatchObject({ code: 'model-corrupt', message: 'r1/weights.bin: missing' });
  });
});
