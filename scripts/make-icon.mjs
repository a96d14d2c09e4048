// Draws build/icon.png (512×512 RGBA): a handwritten "7" as MNIST sees it, a 28×28 grid of
// grey-level cells, with a marker at the row the LSTM is reading. Plain PNG encoding with
// node:zlib, so the icon is reproducible from source with no image tools installed.
// Usage: node scripts/make-icon.mjs [output path]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const output = path.resolve(process.argv[2] ?? path.join(root, 'build', 'icon.png'));

const SIZE = 512;
const GRID = 28; // MNIST's 28×28
const CELL_PX = 16; // 28 × 16 = 448: a 32 px margin each side
const MARGIN_PX = (SIZE - GRID * CELL_PX) / 2;
const CORNER_PX = 96;
const READ_ROW = 15; // the row the marker points at

const BACKGROUND = [22, 27, 41];
const BACKGROUND_LIGHT = [36, 46, 70];
const INK = [236, 244, 255];
const ACCENT = [255, 176, 59];

/** The "7" as strokes in grid coordinates (cells), drawn with a soft pen. */
const STROKES = [
  [
    [7.5, 7],
    [20.5, 6.5],
  ],
  [
    [20.5, 6.5],
    [15.5, 15],
  ],
  [
    [15.5, 15],
    [12.5, 22.5],
  ],
  [
    [11.5, 14],
    [19, 13.6],
  ],
];
const PEN_RADIUS = 1.5;

function distanceToSegment(px, py, [[ax, ay], [bx, by]]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Ink 0–1 of one grid cell, like MNIST's anti-aliased grey levels. */
function cellInk(col, row) {
  const d = Math.min(...STROKES.map((s) => distanceToSegment(col + 0.5, row + 0.5, s)));
  return Math.max(0, Math.min(1, (PEN_RADIUS + 0.6 - d) / 1.2));
}

const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

/** Coverage 0–1 of the rounded square at pixel (x, y), anti-aliased over one pixel. */
function squareCoverage(x, y) {
  const cx = Math.min(Math.max(x, CORNER_PX), SIZE - CORNER_PX);
  const cy = Math.min(Math.max(y, CORNER_PX), SIZE - CORNER_PX);
  return Math.max(0, Math.min(1, CORNER_PX - Math.hypot(x - cx, y - cy) + 0.5));
}

/** A small triangle in the left margin pointing at READ_ROW. */
function isMarker(x, y) {
  const midY = MARGIN_PX + (READ_ROW + 0.5) * CELL_PX;
  const dx = x - 10;
  return dx >= 0 && dx <= 16 && Math.abs(y - midY) <= (16 - dx) / 2;
}

function pixel(x, y) {
  const coverage = squareCoverage(x + 0.5, y + 0.5);
  if (coverage === 0) return [0, 0, 0, 0];
  let rgb = mix(BACKGROUND_LIGHT, BACKGROUND, y / SIZE);
  const col = Math.floor((x - MARGIN_PX) / CELL_PX);
  const row = Math.floor((y - MARGIN_PX) / CELL_PX);
  const inCell = (x - MARGIN_PX) % CELL_PX >= 1 && (y - MARGIN_PX) % CELL_PX >= 1;
  if (col >= 0 && col < GRID && row >= 0 && row < GRID && inCell) {
    const ink = cellInk(col, row);
    const base = row === READ_ROW ? mix(rgb, ACCENT, 0.22) : mix(rgb, INK, 0.04);
    rgb = mix(base, row === READ_ROW ? mix(INK, ACCENT, 0.45) : INK, ink);
  } else if (isMarker(x, y)) {
    rgb = ACCENT;
  }
  return [...rgb, Math.round(255 * coverage)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng() {
  const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const rowStart = y * (1 + SIZE * 4); // each row: filter byte 0 (None), then RGBA
    for (let x = 0; x < SIZE; x++) raw.set(pixel(x, y), rowStart + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, encodePng());
console.log(`wrote ${path.relative(process.cwd(), output)} (${SIZE}×${SIZE})`);
