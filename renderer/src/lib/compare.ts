/** Comparing runs' hyperparameters. Pure: no DOM. */
import type { Hyperparams } from '../../../common/api';

/** Every hyperparameter, in the order tables list them. */
export const HYPERPARAM_KEYS: readonly (keyof Hyperparams)[] = [
  'cell',
  'units',
  'layers',
  'forgetBias',
  'dropout',
  'optimizer',
  'learningRate',
  'batchSize',
  'budgetUnit',
  'budget',
  'validationInterval',
  'seed',
];

/** The hyperparameters whose values are not all equal across `runs` (empty for fewer than 2). */
export function differingKeys(runs: readonly Hyperparams[]): Set<keyof Hyperparams> {
  const out = new Set<keyof Hyperparams>();
  if (runs.length < 2) return out;
  for (const key of HYPERPARAM_KEYS) {
    if (runs.some((h) => h[key] !== runs[0][key])) out.add(key);
  }
  return out;
}
