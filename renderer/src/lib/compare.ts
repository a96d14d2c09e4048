/** Comparing runs' hyperparameters. Pure: no DOM. */
import { AUGMENTATION_FIELDS, isAugmenting } from '../../../common/augment';
import type { Hyperparams } from '../../../common/api';

/** Every hyperparameter, in the order tables list them (the Train form's order). */
export const HYPERPARAM_KEYS: readonly (keyof Hyperparams)[] = [
  'cell',
  'units',
  'layers',
  'forgetBias',
  'dropout',
  'optimizer',
  'learningRate',
  'batchSize',
  ...AUGMENTATION_FIELDS,
  'budgetUnit',
  'budget',
  'validationInterval',
  'seed',
];

/** A row of a hyperparameter table: one hyperparameter, or 'augmentation', one row saying there is none. */
export type TableRow = keyof Hyperparams | 'augmentation';

/**
 * The rows a table lists for `runs`: every hyperparameter, but the five augmentation rows only
 * when some run augments; otherwise they would be five rows of zeros in every run's details,
 * and one row in their place says "none".
 */
export function tableRows(runs: readonly Hyperparams[]): readonly TableRow[] {
  if (runs.some(isAugmenting)) return HYPERPARAM_KEYS;
  const isAugmentation = (key: keyof Hyperparams) => (AUGMENTATION_FIELDS as readonly string[]).includes(key);
  return HYPERPARAM_KEYS.flatMap((key): TableRow[] =>
    key === AUGMENTATION_FIELDS[0] ? ['augmentation'] : isAugmentation(key) ? [] : [key],
  );
}

/** The hyperparameters whose values are not all equal across `runs` (empty for fewer than 2). */
export function differingKeys(runs: readonly Hyperparams[]): Set<keyof Hyperparams> {
  const out = new Set<keyof Hyperparams>();
  if (runs.length < 2) return out;
  for (const key of HYPERPARAM_KEYS) {
    if (runs.some((h) => h[key] !== runs[0][key])) out.add(key);
  }
  return out;
}
