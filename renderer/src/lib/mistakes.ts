/** Filtering and ordering the test set's misclassified digits. Pure: no DOM. */
import type { Misclassified } from '../../../common/api';

/** A cell of the confusion matrix: true label → predicted digit. */
export interface Pair {
  label: number;
  predicted: number;
}

/** How sure the model was of its wrong answer, 0–1. */
export function confidenceOf(item: Misclassified): number {
  return item.probabilities[item.predicted] ?? 0;
}

/** The mistakes for `pair` (all when null), most confident first. */
export function selectMistakes(items: readonly Misclassified[], pair: Pair | null): Misclassified[] {
  const chosen = pair ? items.filter((m) => m.label === pair.label && m.predicted === pair.predicted) : [...items];
  return chosen.sort((a, b) => confidenceOf(b) - confidenceOf(a));
}

/** Total wrong answers in a confusion matrix (everything off the diagonal). */
export function countMistakes(confusion: readonly (readonly number[])[]): number {
  let total = 0;
  confusion.forEach((row, label) => row.forEach((count, predicted) => (total += label === predicted ? 0 : count)));
  return total;
}
