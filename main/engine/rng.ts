/** Seeded randomness for batch order: the same seed gives the same run on the same backend. */

export { mulberry32 } from '../../common/random';

/** A Fisher–Yates permutation of 0..n-1 drawn from `random`. */
export function permutation(n: number, random: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/** A seed for a run that did not name one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
