// Writes test/fixtures/drawn-digits/print-digits.json: digits as people draw them on the pad in
// print style, in the shapes MNIST's writers rarely used (a 1 with a flag and a foot, a closed
// 4, a round-headed 9 on a straight stem, a crossed 7, a flat-topped 3, a 6 on a straight
// stem, a 2 with a loop, a 0 left open…), as pad strokes. Each style is a hand-written template of polylines in a unit box;
// each sample varies it with a seeded jitter of size, position, slant, aspect, stroke width
// and a little wobble per point, the way one person's digits vary. Not drawn from MNIST, not
// tuned against any model. Run: node scripts/make-drawn-digits.mjs (the output is committed;
// the same seed always writes the same file).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUT = path.join(root, 'test/fixtures/drawn-digits/print-digits.json');
const PAD = 280;
const SAMPLES_PER_STYLE = 6;
const SEED = 20261202;

/** mulberry32, as common/random.ts. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Points along an ellipse arc: centre, radii, from/to in degrees clockwise from +x (y down). */
function arc(cx, cy, rx, ry, from, to, n = 16) {
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });
}

/** Each digit's styles: a name and its strokes in a unit box (x right, y down). */
const TEMPLATES = {
  0: {
    oval: [arc(0.5, 0.5, 0.3, 0.48, -90, 270, 24)],
    round: [arc(0.5, 0.5, 0.42, 0.46, -90, 270, 24)],
    'open at the top': [arc(0.5, 0.5, 0.33, 0.47, -60, 250, 22)],
  },
  1: {
    flag: [
      [
        [0.3, 0.22],
        [0.55, 0.02],
        [0.55, 0.98],
      ],
    ],
    'flag and foot': [
      [
        [0.3, 0.22],
        [0.55, 0.02],
        [0.55, 0.98],
      ],
      [
        [0.3, 0.98],
        [0.8, 0.98],
      ],
    ],
    'long flag': [
      [
        [0.12, 0.4],
        [0.6, 0.02],
        [0.6, 0.98],
      ],
    ],
  },
  2: {
    looped: [[...arc(0.5, 0.3, 0.32, 0.28, 190, 360 + 30, 12), [0.2, 0.9], ...arc(0.25, 0.86, 0.1, 0.1, 180, 540, 10), [0.9, 0.96]]],
    curved: [[...arc(0.5, 0.3, 0.32, 0.28, 190, 360 + 30, 12), [0.15, 0.98], [0.88, 0.98]]],
    'flat top': [
      [
        [0.15, 0.05],
        [0.82, 0.05],
        [0.82, 0.4],
        [0.15, 0.98],
        [0.88, 0.98],
      ],
    ],
  },
  3: {
    pointed: [
      [
        [0.15, 0.1],
        [0.5, 0.02],
        [0.85, 0.2],
        [0.45, 0.48],
        [0.9, 0.72],
        [0.5, 0.98],
        [0.12, 0.88],
      ],
    ],
    round: [[...arc(0.5, 0.27, 0.3, 0.24, 200, 450, 12), ...arc(0.5, 0.74, 0.34, 0.25, -90, 160, 12)]],
    'flat top': [[[0.15, 0.03], [0.85, 0.03], [0.45, 0.42], ...arc(0.47, 0.7, 0.36, 0.28, -95, 160, 12)]],
  },
  4: {
    'stem through the top': [
      [
        [0.45, 0.0],
        [0.08, 0.62],
        [0.92, 0.62],
      ],
      [
        [0.72, 0.0],
        [0.72, 0.98],
      ],
    ],
    closed: [
      [
        [0.68, 0.98],
        [0.68, 0.02],
        [0.08, 0.68],
        [0.92, 0.68],
      ],
    ],
    open: [
      [
        [0.2, 0.02],
        [0.12, 0.62],
        [0.92, 0.62],
      ],
      [
        [0.68, 0.22],
        [0.68, 0.98],
      ],
    ],
  },
  5: {
    'curved flag': [[...arc(0.55, 0.12, 0.3, 0.1, 0, -180, 8), [0.2, 0.45], ...arc(0.5, 0.68, 0.36, 0.3, -140, 150, 14)]],
    print: [[[0.82, 0.03], [0.22, 0.03], [0.18, 0.45], ...arc(0.5, 0.68, 0.36, 0.3, -140, 150, 14)]],
    'two strokes': [
      [[0.22, 0.03], [0.18, 0.45], ...arc(0.5, 0.68, 0.36, 0.3, -140, 150, 14)],
      [
        [0.22, 0.03],
        [0.85, 0.03],
      ],
    ],
  },
  6: {
    'small loop': [[[0.75, 0.0], [0.3, 0.6], ...arc(0.48, 0.8, 0.22, 0.18, 180, 540, 18)]],
    curved: [[...arc(0.62, 0.45, 0.45, 0.43, -80, -180, 8), ...arc(0.5, 0.7, 0.34, 0.28, 180, 540, 20)]],
    'straight stem': [[[0.68, 0.02], [0.2, 0.62], ...arc(0.5, 0.72, 0.32, 0.26, 180, 540, 20)]],
  },
  7: {
    hooked: [
      [
        [0.1, 0.25],
        [0.1, 0.04],
        [0.9, 0.04],
        [0.45, 0.98],
      ],
    ],
    plain: [
      [
        [0.1, 0.04],
        [0.9, 0.04],
        [0.4, 0.98],
      ],
    ],
    crossed: [
      [
        [0.1, 0.04],
        [0.9, 0.04],
        [0.4, 0.98],
      ],
      [
        [0.3, 0.52],
        [0.85, 0.52],
      ],
    ],
  },
  8: {
    'offset loops': [arc(0.58, 0.25, 0.24, 0.22, 90, 450, 20), arc(0.42, 0.72, 0.34, 0.27, -90, 270, 20)],
    'two loops': [arc(0.5, 0.27, 0.27, 0.24, 90, 450, 20), arc(0.5, 0.73, 0.33, 0.26, -90, 270, 20)],
    'one stroke': [[...arc(0.5, 0.27, 0.27, 0.24, 90, -270, 20), ...arc(0.5, 0.73, 0.33, 0.26, -90, 270, 20)]],
  },
  9: {
    'small head, long stem': [[...arc(0.52, 0.2, 0.24, 0.18, 0, -360, 18), [0.76, 0.2], [0.72, 0.98]]],
    'straight stem': [[...arc(0.48, 0.3, 0.34, 0.28, 0, -360, 20), [0.82, 0.3], [0.82, 0.98]]],
    'round head, curved tail': [[...arc(0.48, 0.3, 0.34, 0.28, 0, -360, 20), [0.82, 0.3], [0.78, 0.8], [0.5, 0.98], [0.25, 0.9]]],
  },
};

/** One sample of a style: the template scaled, placed, slanted, stretched and wobbled. */
function sample(strokes, random) {
  const span = (lo, hi) => lo + (hi - lo) * random();
  const size = span(0.3, 0.85) * PAD;
  const aspect = span(0.6, 1.1);
  const slant = (span(-14, 14) * Math.PI) / 180;
  const [cx, cy] = [PAD / 2 + span(-0.12, 0.12) * PAD, PAD / 2 + span(-0.1, 0.1) * PAD];
  const wobble = 0.02 * size;
  const points = strokes.map((stroke) =>
    stroke.map(([x, y]) => {
      const [u, v] = [(x - 0.5) * size * aspect, (y - 0.5) * size];
      const px = cx + u - v * Math.tan(slant) + span(-wobble, wobble);
      const py = cy + v + span(-wobble, wobble);
      return [Math.round(px * 10) / 10, Math.round(py * 10) / 10];
    }),
  );
  return { width: Math.round(span(14, 30)), strokes: points };
}

const random = mulberry32(SEED);
const digits = [];
for (const [label, styles] of Object.entries(TEMPLATES)) {
  for (const [style, strokes] of Object.entries(styles)) {
    for (let i = 0; i < SAMPLES_PER_STYLE; i++) digits.push({ label: Number(label), style, ...sample(strokes, random) });
  }
}
const file = {
  formatVersion: 1,
  description:
    'Print-style digits as drawn on the 280-pixel pad, generated by scripts/make-drawn-digits.mjs from hand-written stroke templates (three styles per digit, six jittered samples each); not MNIST images.',
  padSize: PAD,
  digits,
};
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(file)}\n`);
console.log(`wrote ${path.relative(root, OUT)}: ${digits.length} digits`);
