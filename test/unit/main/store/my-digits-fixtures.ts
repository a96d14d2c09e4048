/** Digits for the personal-set tests (also bundled into the SIGKILL test's child process: no vitest here). */
import { PIXEL_COUNT } from '../../../../common/api';
import type { StoredDigit } from '../../../../main/store/my-digits-store';

/** A digit whose every value survives the file's rounding (pixels to 4 decimals, coordinates to 2). */
export function storedDigit(i: number, overrides: Partial<StoredDigit> = {}): StoredDigit {
  return {
    id: `d-${i}`,
    label: i % 10,
    part: i % 2 === 0 ? 'score' : 'fine-tune',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    pixels: Array.from({ length: PIXEL_COUNT }, (_, k) => ((k * 7 + i) % 11) / 16),
    strokes: [
      {
        points: [
          { x: 10.5, y: 20.25, width: 20 },
          { x: 100, y: 200.75, width: 18.5 },
        ],
      },
    ],
    padSize: 280,
    ...overrides,
  };
}
