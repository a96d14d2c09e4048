/**
 * Colour scales for the Inside-the-network pictures, value → [r, g, b] (0–255 integers): a
 * sequential one for gates (0–1), a diverging one around 0 for cell and hidden states, and an
 * "evidence" one for saliency and row influence (for / against a digit). Values outside a scale
 * are clamped to its ends; a value that is not a finite number gets MISSING, never NaN. Pure.
 */

/** One colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/** What a value that is not a number is drawn as: a mid grey no scale uses. */
export const MISSING: Rgb = [128, 128, 128];

const hex = (value: string): Rgb => [parseInt(value.slice(1, 3), 16), parseInt(value.slice(3, 5), 16), parseInt(value.slice(5, 7), 16)];

/** Viridis (matplotlib), perceptually uniform and readable with the common colour-vision deficiencies. */
export const VIRIDIS: readonly Rgb[] = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
].map(hex);

/** ColorBrewer's RdBu, blue for negative, near-white at 0, red for positive. */
export const RED_BLUE: readonly Rgb[] = [
  '#053061',
  '#2166ac',
  '#4393c3',
  '#92c5de',
  '#d1e5f0',
  '#f7f7f7',
  '#fddbc7',
  '#f4a582',
  '#d6604d',
  '#b2182b',
  '#67001f',
].map(hex);

/** For / against on black, like ink: violet argues against the digit, black is neutral, green supports it. */
export const EVIDENCE: readonly Rgb[] = ['#d78cff', '#6b3d80', '#000000', '#2e7a45', '#5fe08a'].map(hex);

const clamp01 = (t: number): number => Math.min(1, Math.max(0, t));

/** The colour at `t` (0–1, clamped) along evenly spaced `stops`, interpolated linearly. */
export function sampleStops(stops: readonly Rgb[], t: number): Rgb {
  if (!Number.isFinite(t)) return MISSING;
  const at = clamp01(t) * (stops.length - 1);
  const i = Math.min(Math.floor(at), stops.length - 2);
  const f = at - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as unknown as Rgb;
}

/** A gate's value, 0–1 (clamped), on viridis. */
export function sequentialColour(value: number): Rgb {
  return sampleStops(VIRIDIS, value);
}

/** Where `value` sits on a scale from −limit to +limit, 0–1; 0.5 when the limit is not positive. */
function centred(value: number, limit: number): number {
  if (!Number.isFinite(value)) return NaN;
  if (!(limit > 0) || !Number.isFinite(limit)) return 0.5;
  return 0.5 + value / (2 * limit);
}

/** A state's value on a blue–white–red scale from −limit to +limit (clamped). */
export function divergingColour(value: number, limit: number): Rgb {
  return sampleStops(RED_BLUE, centred(value, limit));
}

/** Saliency or influence from −limit (against) to +limit (for), black at 0 (clamped). */
export function evidenceColour(value: number, limit: number): Rgb {
  return sampleStops(EVIDENCE, centred(value, limit));
}

/** A CSS linear-gradient (left to right) through `stops`, for a legend. */
export function cssGradient(stops: readonly Rgb[]): string {
  const parts = stops.map(([r, g, b], i) => `rgb(${r} ${g} ${b}) ${((i / (stops.length - 1)) * 100).toFixed(1)}%`);
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

/** The CSS colour of one Rgb. */
export function cssColour([r, g, b]: Rgb): string {
  return `rgb(${r} ${g} ${b})`;
}
