/**
 * Strict parser for MNIST's IDX files (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
 * a big-endian header, then one unsigned byte per pixel or label. Anything that is not exactly
 * a 28×28 image file or a 0–9 label file is refused with a message naming the file, what was
 * expected and what was found, so a person can tell a wrong file from a damaged one.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { PIXEL_COUNT } from '../../../common/api';
import { StudioError } from '../../../common/errors';
import { IMAGE_SIDE } from '../../../common/mnist';

/** Magic number of an IDX image file: 0x00000803 (unsigned bytes, 3 dimensions). */
export const IDX_IMAGE_MAGIC = 2051;
/** Magic number of an IDX label file: 0x00000801 (unsigned bytes, 1 dimension). */
export const IDX_LABEL_MAGIC = 2049;
/** Image header: magic, count, rows, cols; 4 bytes each. */
export const IDX_IMAGE_HEADER_BYTES = 16;
/** Label header: magic, count; 4 bytes each. */
export const IDX_LABEL_HEADER_BYTES = 8;
/** MNIST images are 28 rows × 28 columns. */
export const IMAGE_ROWS = IMAGE_SIDE;
export const IMAGE_COLS = IMAGE_SIDE;
/** Labels are the digits 0–9. */
export const MAX_LABEL = 9;

/** Largest IDX file accepted once unpacked, in bytes (the biggest MNIST file is 47 MB). */
export const MAX_IDX_BYTES = 64 * 1024 * 1024;

/** A parsed image file. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** `count × rows × cols` bytes, row-major, 0–255; a view on the input bytes (no copy). */
  pixels: Uint8Array;
}

/** A parsed label file. */
export interface IdxLabels {
  count: number;
  /** `count` bytes, each 0–9; a view on the input bytes (no copy). */
  labels: Uint8Array;
}

/**
 * Parses an IDX3 image file of 28×28 images.
 * @param bytes the whole file
 * @param fileName used in error messages only
 * @throws StudioError('dataset-corrupt') on a short header, wrong magic, wrong dimensions,
 *   or a length that does not match the header (truncated or oversized)
 */
export function parseIdxImages(bytes: Uint8Array, fileName: string): IdxImages {
  const view = readHeader(bytes, fileName, IDX_IMAGE_MAGIC, IDX_IMAGE_HEADER_BYTES, 'image');
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (rows !== IMAGE_ROWS || cols !== IMAGE_COLS) {
    throw corrupt(fileName, `expected ${IMAGE_ROWS}×${IMAGE_COLS} images, got ${rows}×${cols}`);
  }
  checkLength(bytes, fileName, IDX_IMAGE_HEADER_BYTES, count, PIXEL_COUNT, 'images');
  const pixels = bytes.subarray(IDX_IMAGE_HEADER_BYTES);
  return { count, rows, cols, pixels };
}

/**
 * Parses an IDX1 label file whose every label is a digit 0–9.
 * @param bytes the whole file
 * @param fileName used in error messages only
 * @throws StudioError('dataset-corrupt') on a short header, wrong magic, a length that does
 *   not match the header, or a label above 9
 */
export function parseIdxLabels(bytes: Uint8Array, fileName: string): IdxLabels {
  const view = readHeader(bytes, fileName, IDX_LABEL_MAGIC, IDX_LABEL_HEADER_BYTES, 'label');
  const count = view.getUint32(4);
  checkLength(bytes, fileName, IDX_LABEL_HEADER_BYTES, count, 1, 'labels');
  const labels = bytes.subarray(IDX_LABEL_HEADER_BYTES);
  const bad = labels.findIndex((label) => label > MAX_LABEL);
  if (bad >= 0) {
    throw corrupt(fileName, `expected labels 0–${MAX_LABEL}, got ${labels[bad]} at index ${bad}`);
  }
  return { count, labels };
}

/**
 * Unpacks a gzip-compressed IDX file (MNIST is distributed as `.gz`); other bytes come back as they are.
 * @param isNamedGz the file's name or URL ends in `.gz`; gzip's magic bytes 1f 8b are detected anyway
 * @throws StudioError('dataset-corrupt') for a damaged stream or one that unpacks past MAX_IDX_BYTES
 */
export async function gunzipIfNeeded(bytes: Uint8Array, fileName: string, isNamedGz: boolean): Promise<Uint8Array> {
  if (!isNamedGz && !(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    // The output cap stops a small "gzip bomb" from exhausting memory.
    return await promisify(gunzip)(bytes, { maxOutputLength: MAX_IDX_BYTES });
  } catch (err) {
    throw corrupt(fileName, `not a valid gzip file (${(err as Error).message})`);
  }
}

/** Checks the header is all there and the magic matches; returns a big-endian view on it. */
function readHeader(bytes: Uint8Array, fileName: string, magic: number, headerBytes: number, kind: string): DataView {
  if (bytes.byteLength < headerBytes) {
    throw corrupt(fileName, `expected an IDX ${kind} header of ${headerBytes} bytes, got only ${bytes.byteLength}`);
  }
  // DataView reads big-endian by default, which is what IDX uses.
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const found = view.getUint32(0);
  if (found !== magic) {
    throw corrupt(fileName, `expected magic ${magic}, got ${found}${magicHint(found)}`);
  }
  return view;
}

/** Requires the body to be exactly `count × itemBytes` long. */
function checkLength(bytes: Uint8Array, fileName: string, headerBytes: number, count: number, itemBytes: number, what: string): void {
  const expected = headerBytes + count * itemBytes;
  if (bytes.byteLength === expected) return;
  const problem = bytes.byteLength < expected ? 'truncated' : 'oversized';
  throw corrupt(fileName, `${problem}: the header says ${count} ${what}, so expected ${expected} bytes, got ${bytes.byteLength}`);
}

/** The commonest mistake is swapping the image and label files; say so when it happens. */
function magicHint(found: number): string {
  if (found === IDX_IMAGE_MAGIC) return ' (this is an image file)';
  if (found === IDX_LABEL_MAGIC) return ' (this is a label file)';
  // 1f 8b …: a gzip stream that was never unpacked.
  if (found >>> 16 === 0x1f8b) return ' (this file is still gzip-compressed)';
  return '';
}

function corrupt(fileName: string, detail: string): StudioError {
  return new StudioError('dataset-corrupt', `${fileName}: ${detail}`);
}
