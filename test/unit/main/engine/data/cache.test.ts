import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CACHE_FILE_BYTES,
  CACHE_HEADER_BYTES,
  type CacheData,
  type CacheProblem,
  MNIST_TEST_COUNT,
  MNIST_TRAIN_COUNT,
  readCache,
  writeCache,
} from '../../../../../main/engine/data/cache';

/** Full-size synthetic data (the cache only holds MNIST's exact counts): a byte pattern per array. */
function syntheticData(): CacheData {
  const filled = (length: number, seed: number, modulo = 256) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % modulo);
  return {
    trainImages: filled(MNIST_TRAIN_COUNT * 784, 1),
    trainLabels: filled(MNIST_TRAIN_COUNT, 2, 10),
    testImages: filled(MNIST_TEST_COUNT * 784, 3),
    testLabels: filled(MNIST_TEST_COUNT, 4, 10),
    sourceDigest: filled(32, 5),
  };
}

let dir: string;
let data: CacheData;
let good: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lstm-cache-test-'));
  data = syntheticData();
  await writeCache(path.join(dir, 'good.bin'), data);
  good = new Uint8Array(await readFile(path.join(dir, 'good.bin')));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `bytes` as a cache file, reads it back, and expects the given problem. */
async function expectProblem(name: string, bytes: Uint8Array, problem: CacheProblem): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  const result = await readCache(file);
  expect(result).toMatchObject({ ok: false, problem });
  return result.ok ? '' : result.detail;
}

/** A copy of the good cache with `edit` applied. */
function tampered(edit: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = good.slice();
  edit(bytes, new DataView(bytes.buffer));
  return bytes;
}

describe('writeCache / readCache', () => {
  it('round-trips all four arrays and the source digest', async () => {
    expect(good.length).toBe(CACHE_FILE_BYTES);
    const result = await readCache(path.join(dir, 'good.bin'));
    if (!result.ok) throw new Error(`unexpected ${result.problem}: ${result.detail}`);
    for (const key of ['trainImages', 'trainLabels', 'testImages', 'testLabels', 'sourceDigest'] as const) {
      expect(Buffer.compare(result.data[key], data[key])).toBe(0);
    }
  });

  it('returns views on one buffer rather than copies', async () => {
    const result = await readCache(path.join(dir, 'good.bin'));
    if (!result.ok) throw new Error(result.detail);
    expect(result.data.testLabels.buffer).toBe(result.data.trainImages.buffer);
    expect(result.data.trainImages.byteOffset).toBe(CACHE_HEADER_BYTES);
  });

  it('leaves no temp file behind and replaces an existing cache', async () => {
    const sub = await mkdtemp(path.join(dir, 'atomic-'));
    const file = path.join(sub, 'cache.bin');
    await writeFile(file, 'old contents');
    await writeCache(file, data);
    expect(await readdir(sub)).toEqual(['cache.bin']);
    expect((await readCache(file)).ok).toBe(true);
  });

  it('refuses arrays of the wrong size', async () => {
    const bad = { ...data, testLabels: new Uint8Array(9_999) };
    await expect(writeCache(path.join(dir, 'never.bin'), bad)).rejects.toMatchObject({
      code: 'internal',
      message: 'writeCache: expected testLabels of 10000 bytes, got 9999',
    });
  });

  it('passes a file-system failure through to the caller', async () => {
    await writeFile(path.join(dir, 'a-file'), 'x');
    await expect(writeCache(path.join(dir, 'a-file', 'cache.bin'), data)).rejects.toMatchObject({ code: 'EEXIST' });
  });
});

describe('readCache', () => {
  it('reports a missing file', async () => {
    expect(await readCache(path.join(dir, 'nothing-here.bin'))).toMatchObject({ ok: false, problem: 'missing' });
  });

  it('reports a path it cannot read', async () => {
    await mkdir(path.join(dir, 'a-folder.bin'));
    expect(await readCache(path.join(dir, 'a-folder.bin'))).toMatchObject({ ok: false, problem: 'unreadable' });
  });

  it('detects one flipped byte in the pixels', async () => {
    const bytes = tampered((b) => {
      b[CACHE_HEADER_BYTES + 12_345] ^= 0x01;
    });
    expect(await expectProblem('flipped.bin', bytes, 'checksum-mismatch')).toMatch(/SHA-256/);
  });

  it('detects a flipped byte in the last label and in the header', async () => {
    await expectProblem(
      'flipped-label.bin',
      tampered((b) => void (b[b.length - 1] ^= 0x80)),
      'checksum-mismatch',
    );
    await expectProblem(
      'flipped-source.bin',
      tampered((b) => void (b[30] ^= 0x01)),
      'checksum-mismatch',
    );
  });

  it('detects a truncated file, however short', async () => {
    await expectProblem('short-1.bin', good.subarray(0, good.length - 1), 'truncated');
    await expectProblem('short-half.bin', good.subarray(0, good.length / 2), 'truncated');
    expect(await expectProblem('short-header.bin', good.subarray(0, 20), 'truncated')).toMatch(/header/);
    await expectProblem('empty.bin', new Uint8Array(0), 'truncated');
  });

  it('detects an oversized file', async () => {
    const bytes = new Uint8Array(good.length + 1);
    bytes.set(good);
    await expectProblem('long.bin', bytes, 'oversized');
  });

  it('detects another format version (older or newer files are rebuilt)', async () => {
    const detail = await expectProblem(
      'v2.bin',
      tampered((_, v) => v.setUint32(8, 2, true)),
      'wrong-version',
    );
    expect(detail).toBe('expected version 1, got 2');
  });

  it('detects a file that is not a cache at all', async () => {
    const bytes = tampered((b) => b.set(new TextEncoder().encode('GIF89a..'), 0));
    expect(await expectProblem('magic.bin', bytes, 'bad-magic')).toMatch(/expected magic "LSTMMNST"/);
  });

  it('detects wrong counts', async () => {
    const detail = await expectProblem(
      'counts.bin',
      tampered((_, v) => v.setUint32(12, 59_999, true)),
      'wrong-counts',
    );
    expect(detail).toBe('expected train/test/pixels 60000/10000/784, got 59999/10000/784');
  });
});
