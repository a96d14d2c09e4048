import type { Page } from 'playwright-core';

/** Drags the mouse through `points` (fractions of the canvas) as one stroke on the drawing pad. */
export async function stroke(page: Page, points: [number, number][], steps = 8): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('draw-canvas has no box');
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps });
  await page.mouse.up();
}

/** A "7": the top bar, then the diagonal. */
export async function drawSeven(page: Page, steps = 8): Promise<void> {
  await stroke(
    page,
    [
      [0.25, 0.2],
      [0.75, 0.2],
    ],
    steps,
  );
  await stroke(
    page,
    [
      [0.75, 0.2],
      [0.55, 0.5],
      [0.42, 0.82],
    ],
    steps,
  );
}
