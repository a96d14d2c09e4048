/**
 * The sweep form's values and the plan they make. As in lib/form.ts, numbers stay the text the
 * person typed; `checkSweepForm` turns them into a SweepPlan parsed by the contract's schema and
 * expanded by common/sweep-plan.ts, so the form counts the trials and explains a refusal as the
 * person types, with the very rules the service applies. Pure: no DOM.
 */
import { CELL_TYPES, DEFAULT_HYPERPARAMS, HyperparamsSchema, OPTIMIZERS, type Hyperparams } from '../../../common/api';
import { parseRedisUrl, REDACTED, withRedisPassword } from '../../../common/redis-url';
import { CHOICE_FIELDS, MAX_SEEDS, MAX_TRIALS, SWEEPABLE_FIELDS, SweepPlanSchema } from '../../../common/sweep';
import type { Dimension, SweepableField, SweepPlan } from '../../../common/sweep';
import { expandPlan } from '../../../common/sweep-plan';
import { FIELD_GROUPS } from './fields';
import { describeIssue, validateForm, valuesFromHyperparams, type FormValues } from './form';

/** How one hyperparameter is set: the base's value, a list of values, or a range to sample. */
export type DimensionMode = 'fixed' | 'list' | 'range';

/** What the form holds for one sweepable hyperparameter. */
export interface DimensionValues {
  mode: DimensionMode;
  /** A numeric list as typed: "64, 128 256". */
  list: string;
  /** A choice field's ticked options (cell, optimizer), in the options' order. */
  choices: string[];
  min: string;
  max: string;
  /** Sample the range on a log scale (offered where LOG_FIELDS says). */
  isLog: boolean;
}

/** Everything the sweep form holds. */
export interface SweepFormValues {
  name: string;
  /** Each fixed hyperparameter's value, and every trial's budget, validation interval and first seed. */
  base: FormValues;
  vary: Record<SweepableField, DimensionValues>;
  strategy: SweepPlan['strategy'];
  /** Random search: configurations to draw. */
  samples: string;
  /** Random search: the seed of the draws, so the same plan draws the same configurations. */
  sweepSeed: string;
  seedsPerConfig: string;
  isEarlyStopping: boolean;
  /** η, 2–4 (a select, so always one of its options). */
  reductionFactor: string;
  /** 1–4 (a select). */
  rungs: string;
  /** Where the trials train: one after another on this machine, or on workers through Redis. */
  where: SweepWhere;
  /** The Redis the workers take trials from, when `where` is 'workers'. */
  queueUrl: string;
  /** Its password, typed in a field of its own so that it never shows on screen; never remembered. */
  queuePassword: string;
}

/** This machine's trainer, or `npm run worker` processes on any machines, through BullMQ on Redis. */
export type SweepWhere = 'local' | 'workers';

/** Where a message belongs in the form. */
export type SweepFormKey =
  | `base.${keyof FormValues}`
  | `vary.${SweepableField}`
  | 'samples'
  | 'sweepSeed'
  | 'seedsPerConfig'
  | 'name'
  | 'queueUrl'
  | 'queuePassword';
/** An explanation per invalid part of the form. */
export type SweepFormErrors = Partial<Record<SweepFormKey, string>>;

/** The outcome of checking the form: the plan and its size, or what stops it. */
export type SweepCheck =
  | { ok: true; plan: SweepPlan; configCount: number; trialCount: number; errors: SweepFormErrors; problems: string[] }
  | { ok: false; errors: SweepFormErrors; problems: string[] };

/** The largest draw seed the plan takes (common/sweep.ts). */
export const MAX_SWEEP_SEED = 2 ** 31 - 1;

/** Fields a range may be sampled on a log scale: a learning rate's useful values span decades. */
export const LOG_FIELDS: readonly SweepableField[] = ['learningRate'];

/** The sweepable fields in the order the training form shows them (Model, Optimisation, Augmentation). */
export const SWEEP_FIELD_ORDER: readonly SweepableField[] = FIELD_GROUPS.flatMap((group) => group.fields.map((f) => f.name)).filter(
  (name): name is SweepableField => (SWEEPABLE_FIELDS as readonly string[]).includes(name),
);

/** A list box's placeholder per numeric field: values worth trying, within the field's bounds. */
export const LIST_EXAMPLES: Record<SweepableField, string> = {
  cell: '',
  optimizer: '',
  units: '64, 128, 256',
  layers: '1, 2',
  forgetBias: '0, 1',
  dropout: '0, 0.2, 0.4',
  learningRate: '0.0003, 0.001, 0.003',
  batchSize: '64, 128, 256',
  rotation: '0, 10, 20',
  shear: '0, 10, 20',
  aspect: '0, 0.1, 0.2',
  thickness: '0, 0.5, 1',
  elastic: '0, 1, 2',
};

/** True for cell and optimizer: lists of options, never ranges. */
export function isChoiceField(field: SweepableField): boolean {
  return (CHOICE_FIELDS as readonly string[]).includes(field);
}

/** A choice field's options, in the order the training form lists them (empty for numeric fields). */
export function optionsOf(field: SweepableField): readonly string[] {
  return field === 'cell' ? CELL_TYPES : field === 'optimizer' ? OPTIMIZERS : [];
}

/** A fresh form on `base`: nothing varied, grid search, one seed, no early stopping. */
export function sweepFormFrom(base: Hyperparams, name = ''): SweepFormValues {
  const vary = Object.fromEntries(
    SWEEPABLE_FIELDS.map((field) => [
      field,
      { mode: 'fixed', list: '', choices: isChoiceField(field) ? [String(base[field])] : [], min: '', max: '', isLog: false },
    ]),
  ) as Record<SweepableField, DimensionValues>;
  return {
    name,
    base: valuesFromHyperparams(base),
    vary,
    strategy: 'grid',
    samples: '8',
    sweepSeed: '1',
    seedsPerConfig: '1',
    isEarlyStopping: false,
    reductionFactor: '3',
    rungs: '2',
    where: 'local',
    queueUrl: '',
    queuePassword: '',
  };
}

/** Checks every part of the form; on success the plan, parsed with its defaults, and its size. */
export function checkSweepForm(values: SweepFormValues): SweepCheck {
  const errors: SweepFormErrors = {};
  const varied = SWEEPABLE_FIELDS.filter((field) => values.vary[field].mode !== 'fixed');
  const base = checkBase(values.base, varied, errors);
  const vary: Partial<Record<SweepableField, Dimension>> = {};
  for (const field of varied) {
    const dimension = parseDimension(field, values.vary[field]);
    if (typeof dimension === 'string') errors[`vary.${field}`] = dimension;
    else vary[field] = dimension;
  }
  const samples = values.strategy === 'random' ? parseCount(values.samples, MAX_TRIALS) : 1;
  if (typeof samples === 'string') errors.samples = samples;
  const sweepSeed = values.strategy === 'random' ? parseDrawSeed(values.sweepSeed) : 1;
  if (typeof sweepSeed === 'string') errors.sweepSeed = sweepSeed;
  const seedsPerConfig = parseCount(values.seedsPerConfig, MAX_SEEDS);
  if (typeof seedsPerConfig === 'string') errors.seedsPerConfig = seedsPerConfig;
  if (values.name.trim().length > 200) errors.name = 'At most 200 characters.';
  const queue = values.where === 'workers' ? queueUrlOf(values, errors) : null;
  if (!base || Object.keys(errors).length > 0) return { ok: false, errors, problems: [] };

  const parsed = SweepPlanSchema.safeParse({
    ...(values.name.trim() ? { name: values.name.trim() } : {}),
    base,
    vary,
    strategy: values.strategy,
    // A grid draws nothing: leaving its seed out keeps a grid plan's estimate from being asked again.
    ...(values.strategy === 'random' ? { samples, sweepSeed } : {}),
    seedsPerConfig,
    earlyStopping: values.isEarlyStopping ? { reductionFactor: Number(values.reductionFactor), rungs: Number(values.rungs) } : null,
    ...(queue ? { queue: { url: queue } } : {}),
  });
  // The checks above leave nothing for the schema to refuse; say so plainly if a later rule does.
  if (!parsed.success) return { ok: false, errors, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const expansion = expandPlan(parsed.data);
  if (!expansion.ok) return { ok: false, ...placeProblems(expansion.problems, errors) };
  return { ok: true, plan: parsed.data, configCount: expansion.configs.length, trialCount: expansion.trials.length, errors, problems: [] };
}

/**
 * The base hyperparameters, or null with errors filed under `base.<field>`. A varied field's own
 * box is hidden, so a bad value left in it must not block the plan: it falls back to the default.
 */
function checkBase(values: FormValues, varied: readonly SweepableField[], errors: SweepFormErrors): Hyperparams | null {
  const defaults = valuesFromHyperparams(DEFAULT_HYPERPARAMS);
  const first = validateForm({ ...values, name: '' });
  const patched = { ...values, name: '' };
  for (const field of varied) if (first.errors[field]) Object.assign(patched, { [field]: defaults[field] });
  const validation = validateForm(patched);
  for (const [field, message] of Object.entries(validation.errors)) errors[`base.${field as keyof FormValues}`] = message;
  return validation.ok ? validation.request.hyperparams : null;
}

/** One varied field's dimension, or why it cannot be one. */
function parseDimension(field: SweepableField, values: DimensionValues): Dimension | string {
  if (isChoiceField(field)) {
    return values.choices.length > 0 ? { mode: 'list', values: [...values.choices] } : 'Tick at least one option.';
  }
  if (values.mode === 'list') {
    const items = values.list.split(/[\s,;]+/).filter((item) => item !== '');
    if (items.length === 0) return 'List at least one value, e.g. “64, 128”.';
    const numbers: number[] = [];
    for (const [i, item] of items.entries()) {
      const value = parseValue(field, item);
      if (typeof value === 'string') return items.length === 1 ? value : `Value ${i + 1}: ${value}`;
      numbers.push(value);
    }
    return { mode: 'list', values: numbers };
  }
  const min = values.min.trim() === '' ? 'Enter a minimum.' : parseValue(field, values.min.trim());
  if (typeof min === 'string') return `Minimum: ${min}`;
  const max = values.max.trim() === '' ? 'Enter a maximum.' : parseValue(field, values.max.trim());
  if (typeof max === 'string') return `Maximum: ${max}`;
  return { mode: 'range', min, max, scale: values.isLog && LOG_FIELDS.includes(field) ? 'log' : 'linear' };
}

/** One typed value, checked by the hyperparameter's own schema and explained as the training form does. */
function parseValue(field: SweepableField, text: string): number | string {
  const value = Number(text);
  if (!Number.isFinite(value)) return `“${text}” is not a number.`;
  const parsed = HyperparamsSchema.shape[field].safeParse(value);
  return parsed.success ? value : describeIssue(parsed.error.issues[0] ?? { code: 'custom', message: 'Not a valid value.' });
}

/** A whole number from 1 to `max`, or a message. */
function parseCount(text: string, max: number): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < 1 || value > max) return `A whole number from 1 to ${max}.`;
  return value;
}

/** A whole number from 0 to MAX_SWEEP_SEED, or a message. */
function parseDrawSeed(text: string): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < 0 || value > MAX_SWEEP_SEED) {
    return `A whole number from 0 to ${MAX_SWEEP_SEED}.`;
  }
  return value;
}

/**
 * Another draw seed than `current`, from 1 to MAX_SWEEP_SEED, for "New draw": `random` is
 * Math.random's contract (0 ≤ x < 1), passed in so a test can choose it.
 */
export function nextDrawSeed(current: string, random: () => number = Math.random): string {
  const seed = 1 + Math.floor(random() * MAX_SWEEP_SEED);
  // One chance in two billion of drawing the seed on screen: the button must still change it.
  return String(String(seed) === current.trim() ? (seed % MAX_SWEEP_SEED) + 1 : seed);
}

/**
 * expandPlan's problems that name one field ("units: a value is listed twice.") go beside that
 * field, in a sentence of their own; the rest (too many trials, nothing varies) stay for the plan.
 */
function placeProblems(problems: readonly string[], errors: SweepFormErrors): { errors: SweepFormErrors; problems: string[] } {
  const placed: SweepFormErrors = { ...errors };
  const general: string[] = [];
  for (const problem of problems) {
    const field = SWEEPABLE_FIELDS.find((f) => problem.startsWith(`${f}:`));
    const rest = field ? problem.slice(field.length + 1).trim() : '';
    if (field && !placed[`vary.${field}`]) placed[`vary.${field}`] = rest.charAt(0).toUpperCase() + rest.slice(1);
    else general.push(problem);
  }
  return { errors: placed, problems: general };
}

/**
 * Form values remembered from an earlier session (localStorage), laid over `fallback` part by
 * part: anything missing or of the wrong type keeps the fallback's value, so an older or damaged
 * copy can never put the form in a shape it cannot show.
 */
export function mergeStoredForm(stored: unknown, fallback: SweepFormValues): SweepFormValues {
  if (!isRecord(stored)) return fallback;
  const text = (value: unknown, otherwise: string) => (typeof value === 'string' ? value : otherwise);
  const base = { ...fallback.base };
  if (isRecord(stored.base))
    for (const key of Object.keys(base) as (keyof FormValues)[]) Object.assign(base, { [key]: text(stored.base[key], base[key]) });
  const vary = { ...fallback.vary };
  const storedVary = isRecord(stored.vary) ? stored.vary : {};
  for (const field of SWEEPABLE_FIELDS) {
    const d = storedVary[field];
    if (!isRecord(d)) continue;
    const modes: readonly unknown[] = isChoiceField(field) ? ['fixed', 'list'] : ['fixed', 'list', 'range'];
    const old = vary[field];
    vary[field] = {
      mode: modes.includes(d.mode) ? (d.mode as DimensionMode) : old.mode,
      list: text(d.list, old.list),
      choices: Array.isArray(d.choices)
        ? d.choices.filter((c): c is string => typeof c === 'string' && optionsOf(field).includes(c))
        : old.choices,
      min: text(d.min, old.min),
      max: text(d.max, old.max),
      isLog: typeof d.isLog === 'boolean' ? d.isLog : old.isLog,
    };
  }
  const pick = <T extends string>(value: unknown, options: readonly T[], otherwise: T): T =>
    options.includes(value as T) ? (value as T) : otherwise;
  const merged: SweepFormValues = {
    name: text(stored.name, fallback.name),
    base,
    vary,
    strategy: pick(stored.strategy, ['grid', 'random'], fallback.strategy),
    samples: text(stored.samples, fallback.samples),
    sweepSeed: text(stored.sweepSeed, fallback.sweepSeed),
    seedsPerConfig: text(stored.seedsPerConfig, fallback.seedsPerConfig),
    isEarlyStopping: typeof stored.isEarlyStopping === 'boolean' ? stored.isEarlyStopping : fallback.isEarlyStopping,
    reductionFactor: pick(stored.reductionFactor, ['2', '3', '4'], fallback.reductionFactor),
    rungs: pick(stored.rungs, ['1', '2', '3', '4'], fallback.rungs),
    where: pick(stored.where, ['local', 'workers'], fallback.where),
    queueUrl: text(stored.queueUrl, fallback.queueUrl),
    queuePassword: '',
  };
  // Select values must still be among their options (a later release may drop one).
  const { errors } = validateForm({ ...merged.base, name: '' });
  return errors.cell || errors.optimizer || errors.budgetUnit ? { ...merged, base: fallback.base } : merged;
}

/** The Redis URL with the Password field's password in it; null (and the field's message in `errors`) when either is wrong. */
function queueUrlOf(values: SweepFormValues, errors: SweepFormErrors): string | null {
  const check = parseRedisUrl(values.queueUrl);
  if (!check.ok) {
    errors.queueUrl = check.message;
    return null;
  }
  const url = withRedisPassword(values.queueUrl, values.queuePassword);
  if (!url.ok) errors.queuePassword = url.message;
  return url.ok ? url.url : null;
}

/**
 * The form as it may be remembered (localStorage): the Redis URL without its password, which
 * the person types again, and never the Password field; a URL that does not parse is not kept at all.
 */
export function storableForm(values: SweepFormValues): SweepFormValues {
  const check = parseRedisUrl(values.queueUrl);
  const queueUrl = !check.ok
    ? ''
    : check.target.password === null
      ? values.queueUrl.trim()
      : check.target.redacted.replace(`:${REDACTED}@`, ':@');
  return { ...values, queueUrl, queuePassword: '' };
}

/** The plan without where it runs: what its trial count and estimate depend on. */
export function planKeyOf(plan: SweepPlan): string {
  const { queue: _where, ...rest } = plan;
  return JSON.stringify(rest);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
