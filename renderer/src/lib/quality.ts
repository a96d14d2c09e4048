/**
 * How good an accuracy is, so colour tells the truth: green only for what this task calls good.
 * On MNIST a model that reads rows with an LSTM reaches about 95 % after the tutorial's 800
 * iterations and 98 % after 5 epochs, while chance is 10 %: so 95 % and up is good, 80–95 %
 * is fair (it learned, not well yet), and below 80 % is poor. Pure: no DOM.
 */

/** A tone for an accuracy; the CSS classes `tone-good`, `tone-fair`, `tone-poor` colour it (app.css). */
export type Tone = 'good' | 'fair' | 'poor';

export const GOOD_ACCURACY = 0.95;
export const FAIR_ACCURACY = 0.8;

/** The tone of an accuracy in [0, 1]. */
export function accuracyTone(fraction: number): Tone {
  if (fraction >= GOOD_ACCURACY) return 'good';
  return fraction >= FAIR_ACCURACY ? 'fair' : 'poor';
}
