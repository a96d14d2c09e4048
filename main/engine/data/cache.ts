/**
 * The dataset cache: one binary file holding all 70,000 MNIST images and labels as uint8, so a
 * second start skips finding, hashing and parsing the IDX files. It is never trusted: every read
 * checks magic, version, counts, length and a SHA-256 over everything but the checksum itself.
 *
 * Layout (integers little-endian):
 *   0  8 bytes  magic "LSTMMNST"
 *   8  u32      format version (CACHE_VERSION)
 *  12  u32      training images (60,000)
 *  16  u32      test images (10,000)
 *  20  u32      pixels per image (784)
 *  24  32 bytes source digest: which source files the data came from (see dataset.ts)
 *  56  32 bytes SHA-256 of bytes [0, 56) followed by bytes [88, end)
 *  88  payload  train pixels, train labels, test pixels, test labels
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { PIXEL_COUNT } from '../../../common/api';
import { StudioError } from '../../../common/errors';
import { writeFileAtomic } from '../../store/atomic';
import { MNIST_TEST_COUNT, MNIST_TRAIN_COUNT } from '../../../common/mnist';

/** The cache's file name inside the data directory; the version is in the name so old apps keep theirs. */
export const CACHE_FILE_NAME = 'mnist-cache-v1.bin';
/** Bump when the layout changes: an older or newer file is rebuilt, never read. */
export const CACHE_VERSION = 1;
/** First 8 bytes of every cache file. */
export const CACHE_MAGIC = 'LSTMMNST';
export { MNIST_TEST_COUNT, MNIST_TRAIN_COUNT };

const DIGEST_BYTES = 32;
const SOURCE_AT = 24;
const CHECKSUM_AT = SOURCE_AT + DIGEST_BYTES;
/** Header size in bytes. */
export const CACHE_HEADER_BYTES = CHECKSUM_AT + DIGEST_BYTES;
/** Exact size in bytes of a valid cache file (about 55 MB). */
export const CACHE_FILE_BYTES = CACHE_HEADER_BYTES + (MNIST_TRAIN_COUNT + MNIST_TEST_COUNT) * (PIXEL_COUNT + 1);

/** What the cache holds. Arrays read back are views on one buffer of the file. */
export interface CacheData {
  /** 60,000 × 784 bytes, 0–255. */
  trainImages: Uint8Array;
  /** 60,000 bytes, 0–9. */
  trainLabels: Uint8Array;
  /** 10,000 × 784 bytes, 0–255. */
  testImages: Uint8Array;
  /** 10,000 bytes, 0–9. */
  testLabels: Uint8Array;
  /** 32 bytes naming the source files the data was parsed from; a different source means rebuild. */
  sourceDigest: Uint8Array;
}

/** Why a cache file could not be used. Every one of them means "rebuild". */
export type CacheProblem =
  'missing' | 'unreadable' | 'bad-magic' | 'wrong-version' | 'wrong-counts' | 'truncated' | 'oversized' | 'checksum-mismatch';

/** The outcome of readCache: the data, or the problem and a sentence about it. */
export type CacheReadResult = { ok: true; data: CacheData } | CacheFailure;

/** A cache that cannot be used: the problem, and a sentence for logs. */
export interface CacheFailure {
  ok: false;
  problem: CacheProblem;
  detail: string;
}

/**
 * Writes the cache atomically (temp file, fsync, rename): a crash leaves the old file or none.
 * @throws StudioError('internal') when the arrays have the wrong sizes; fs errors (ENOSPC,
 *   EROFS, EACCES…) pass through for the caller to report
 */
export async function writeCache(filePath: string, data: CacheData): Promise<void> {
  checkSizes(data);
  const bytes = new Uint8Array(CACHE_FILE_BYTES);
  bytes.set(new TextEncoder().encode(CACHE_MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, CACHE_VERSION, true);
  view.setUint32(12, MNIST_TRAIN_COUNT, true);
  view.setUint32(16, MNIST_TEST_COUNT, true);
  view.setUint32(20, PIXEL_COUNT, true);
  bytes.set(data.sourceDigest, SOURCE_AT);
  let at = CACHE_HEADER_BYTES;
  for (const part of [data.trainImages, data.trainLabels, data.testImages, data.testLabels]) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  bytes.set(checksum(bytes), CHECKSUM_AT);
  await writeFileAtomic(filePath, bytes);
}

/**
 * Reads and verifies the cache: one read of about 55 MB and one SHA-256 pass (≈ 80 ms together
 * on the 2-core build machine). Never throws: a problem comes back as `{ ok: false }`.
 */
export async function readCache(filePath: string): Promise<CacheReadResult> {
  const loaded = await readWhole(filePath);
  if (!loaded.ok) return loaded;
  const bytes = loaded.bytes;
  const problem = checkHeader(bytes);
  if (problem) return problem;
  const stored = bytes.subarray(CHECKSUM_AT, CACHE_HEADER_BYTES);
  if (!equalBytes(stored, checksum(bytes))) {
    return fail('checksum-mismatch', 'the contents do not match the stored SHA-256');
  }
  return { ok: true, data: splitPayload(bytes) };
}

/** True when two byte arrays hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((value, i) => value === b[i]);
}

/**
 * SHA-256 over the header (less the checksum field) and the payload, hashed in place.
 * Why SHA-256 rather than something cheaper: measured on the build machine (Node 20, CPU with SHA
 * extensions), 55 MB hashes in ~50 ms with SHA-256, ~50 ms with SHA-1, ~73 ms with MD5 and ~26 ms
 * with zlib's CRC-32, so a strong hash costs ~25 ms over the weakest check. Without SHA
 * extensions it is ~150 ms, still fine once per start. (It detects damage, not tampering:
 * anyone who can write the file can recompute the hash.)
 */
function checksum(bytes: Uint8Array): Uint8Array {
  const hash = createHash('sha256');
  hash.update(bytes.subarray(0, CHECKSUM_AT));
  hash.update(bytes.subarray(CACHE_HEADER_BYTES));
  return hash.digest();
}

/** Reads the whole file in one go; a file larger than any valid cache is refused unread. */
async function readWhole(filePath: string): Promise<{ ok: true; bytes: Uint8Array } | CacheFailure> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a folder on the way is a file, so there is no cache there either.
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return fail('missing', `no cache file at ${filePath}`);
    return fail('unreadable', `cannot open ${filePath}: ${(err as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    // Refuse a huge file before reading it; counts and magic are checked after the read.
    if (size > CACHE_FILE_BYTES) return fail('oversized', `expected ${CACHE_FILE_BYTES} bytes, got ${size}`);
    return { ok: true, bytes: await handle.readFile() };
  } catch (err) {
    return fail('unreadable', `cannot read ${filePath}: ${(err as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** Magic, version, counts and length; null when all are right. */
function checkHeader(bytes: Uint8Array): CacheFailure | null {
  if (bytes.byteLength < CACHE_HEADER_BYTES) {
    return fail('truncated', `expected a header of ${CACHE_HEADER_BYTES} bytes, got ${bytes.byteLength}`);
  }
  const magic = new TextDecoder('latin1').decode(bytes.subarray(0, CACHE_MAGIC.length));
  if (magic !== CACHE_MAGIC) return fail('bad-magic', `expected magic "${CACHE_MAGIC}", got ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, CACHE_HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== CACHE_VERSION) return fail('wrong-version', `expected version ${CACHE_VERSION}, got ${version}`);
  const counts = [view.getUint32(12, true), view.getUint32(16, true), view.getUint32(20, true)];
  const expected = [MNIST_TRAIN_COUNT, MNIST_TEST_COUNT, PIXEL_COUNT];
  if (counts.some((count, i) => count !== expected[i])) {
    return fail('wrong-counts', `expected train/test/pixels ${expected.join('/')}, got ${counts.join('/')}`);
  }
  if (bytes.byteLength !== CACHE_FILE_BYTES) {
    const problem = bytes.byteLength < CACHE_FILE_BYTES ? 'truncated' : 'oversized';
    return fail(problem, `expected ${CACHE_FILE_BYTES} bytes, got ${bytes.byteLength}`);
  }
  return null;
}

/** Views on the payload (no copy): the file's one buffer backs all four arrays. */
function splitPayload(bytes: Uint8Array): CacheData {
  const sizes = [MNIST_TRAIN_COUNT * PIXEL_COUNT, MNIST_TRAIN_COUNT, MNIST_TEST_COUNT * PIXEL_COUNT, MNIST_TEST_COUNT];
  let at = CACHE_HEADER_BYTES;
  const [trainImages, trainLabels, testImages, testLabels] = sizes.map((size) => {
    const part = bytes.subarray(at, at + size);
    at += size;
    return part;
  });
  const sourceDigest = bytes.subarray(SOURCE_AT, CHECKSUM_AT);
  return { trainImages, trainLabels, testImages, testLabels, sourceDigest };
}

function checkSizes(data: CacheData): void {
  const expected: [string, Uint8Array, number][] = [
    ['trainImages', data.trainImages, MNIST_TRAIN_COUNT * PIXEL_COUNT],
    ['trainLabels', data.trainLabels, MNIST_TRAIN_COUNT],
    ['testImages', data.testImages, MNIST_TEST_COUNT * PIXEL_COUNT],
    ['testLabels', data.testLabels, MNIST_TEST_COUNT],
    ['sourceDigest', data.sourceDigest, DIGEST_BYTES],
  ];
  for (const [name, array, length] of expected) {
    if (array.byteLength !== length) {
      throw new StudioError('internal', `writeCache: expected ${name} of ${length} bytes, got ${array.byteLength}`);
    }
  }
}

function fail(problem: CacheProblem, detail: string): CacheFailure {
  return { ok: false, problem, detail };
}
