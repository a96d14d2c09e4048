/**
 * The hyperparameter form's values and their validation. Numbers are kept as the text the
 * person typed, so "1e-3", a half-typed "0." or an empty box can be shown and explained rather
 * than silently coerced; `validateForm` turns them into a request checked by the contract's
 * own schema. Pure: no DOM.
 */
import { DEFAULT_HYPERPARAMS, HyperparamsSchema, type Hyperparams, type StartRequestInput } from '../../../common/api';
import type { FieldName } from './fields';
import { TRAIN_COUNT } from '../../../common/mnist';

/** The numeric hyperparameters (entered as text). */
export const NUMERIC_FIELDS = [
  'units',
  'layers',
  'forgetBias',
  'learningRate',
  'batchSize',
  'budget',
  'validationInterval',
  'dropout',
  'rotation',
  'shear',
  'aspect',
  'thickness',
  'elastic',
  'seed',
] as const;
type NumericField = (typeof NUMERIC_FIELDS)[number];

/** Everything the form holds. */
export type FormValues = { [K in NumericField]: string } & {
  cell: Hyperparams['cell'];
  optimizer: Hyperparams['optimizer'];
  budgetUnit: Hyperparams['budgetUnit'];
  name: string;
};

/** An explanation per invalid field. */
export type FieldErrors = Partial<Record<FieldName, string>>;

/** The outcome of validating the form. */
export type Validation =
  { ok: true; request: StartRequestInput & { hyperparams: Hyperparams }; errors: FieldErrors } | { ok: false; errors: FieldErrors };

/** Form values showing the given hyperparameters. */
export function valuesFromHyperparams(h: Hyperparams, name = ''): FormValues {
  return {
    cell: h.cell,
    optimizer: h.optimizer,
    budgetUnit: h.budgetUnit,
    units: String(h.units),
    layers: String(h.layers),
    forgetBias: String(h.forgetBias),
    learningRate: String(h.learningRate),
    batchSize: String(h.batchSize),
    budget: String(h.budget),
    validationInterval: String(h.validationInterval),
    dropout: String(h.dropout),
    rotation: String(h.rotation),
    shear: String(h.shear),
    aspect: String(h.aspect),
    thickness: String(h.thickness),
    elastic: String(h.elastic),
    seed: h.seed === null ? '' : String(h.seed),
    name,
  };
}

/** Parses one number box: blank seed → null, other blanks and non-numbers → a message. */
function parseNumber(field: NumericField, text: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === '') return field === 'seed' ? null : 'Required.';
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : `“${trimmed}” is not a number.`;
}

/** A zod issue in words a person can act on (the sweep form's values use it too). */
export function describeIssue(issue: { code: string; message: string }): string {
  const details = issue as unknown as Record<string, unknown>;
  const bound = (key: string) => (typeof details[key] === 'number' ? String(details[key]) : '?');
  switch (issue.code) {
    case 'too_small':
      return details.inclusive === false ? `Must be greater than ${bound('minimum')}.` : `Must be at least ${bound('minimum')}.`;
    case 'too_big':
      return details.inclusive === false ? `Must be less than ${bound('maximum')}.` : `Must be at most ${bound('maximum')}.`;
    case 'invalid_type':
      return details.expected === 'int' ? 'Must be a whole number.' : issue.message;
    default:
      return issue.message;
  }
}

/** Checks every field; on success returns the start request (hyperparameters fully parsed). */
export function validateForm(values: FormValues): Validation {
  const errors: FieldErrors = {};
  const numbers: Partial<Record<NumericField, number | null>> = {};
  for (const field of NUMERIC_FIELDS) {
    const parsed = parseNumber(field, values[field]);
    if (typeof parsed === 'string') errors[field] = parsed;
    else numbers[field] = parsed;
  }
  const candidate = { cell: values.cell, optimizer: values.optimizer, budgetUnit: values.budgetUnit, ...numbers };
  const result = HyperparamsSchema.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && !(field in errors)) errors[field as FieldName] = describeIssue(issue);
    }
  }
  const name = values.name.trim();
  if (name.length > 200) errors.name = 'At most 200 characters.';
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: { hyperparams: result.data, ...(name ? { name } : {}) }, errors };
}

/** A named starting point for the form. */
export interface Preset {
  id: 'classic' | 'best' | 'drawing' | 'quick';
  label: string;
  description: string;
  hyperparams: Hyperparams;
}

/** The presets the form offers; "classic" is exactly the defaults. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'classic',
    label: 'Classic tutorial: 800 iterations',
    description: 'The tutorial’s settings: LSTM 128, Adam 0.001, batch 128, 800 iterations (about 96 %).',
    hyperparams: DEFAULT_HYPERPARAMS,
  },
  {
    id: 'best',
    label: 'Best accuracy',
    description: 'Five full epochs with validation every 200 iterations (about 98 %, several times longer).',
    hyperparams: { ...DEFAULT_HYPERPARAMS, budgetUnit: 'epochs', budget: 5, validationInterval: 200 },
  },
  {
    // Chosen by measurement (README, "Digits as people draw them"): of the augmentation
    // strengths and budgets tried, the best score on the drawn-digit set with at least 98.5 %
    // on MNIST's test set was ten epochs without augmentation.
    id: 'drawing',
    label: 'Robust for drawing',
    description:
      'Ten epochs (about 2½ minutes on two cores): reads print-style digits drawn on the pad best of the settings we measured (99 % of our drawn set, 98.6 % on MNIST’s test set).',
    hyperparams: { ...DEFAULT_HYPERPARAMS, budgetUnit: 'epochs', budget: 10, validationInterval: 430 },
  },
  {
    id: 'quick',
    label: 'Quick test',
    description: '100 iterations with validation every 50: checks that everything works.',
    hyperparams: { ...DEFAULT_HYPERPARAMS, budget: 100, validationInterval: 50 },
  },
];

/** The preset whose hyperparameters the form shows exactly, if any (the name is ignored). */
export function matchingPreset(values: FormValues): Preset['id'] | null {
  const validation = validateForm({ ...values, name: '' });
  if (!validation.ok) return null;
  const h = validation.request.hyperparams;
  const same = (p: Hyperparams) => (Object.keys(p) as (keyof Hyperparams)[]).every((k) => p[k] === h[k]);
  return PRESETS.find((p) => same(p.hyperparams))?.id ?? null;
}

/** Training images per epoch (the first 55,000 of the 60,000; common/mnist.ts). */
export const TRAIN_IMAGES = TRAIN_COUNT;

/** One rule for how a budget becomes iterations, the engine's (common/hyperparams.ts). */
export { totalIterations } from '../../../common/api';
