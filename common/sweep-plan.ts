/**
 * A sweep plan turned into trials: the checks that need more than one field (a range's bounds,
 * a value that the hyperparameter's own schema refuses, a plan too large to run), the grid's
 * Cartesian product or the random search's seeded draws, one trial per configuration and seed,
 * and the rung iterations early stopping decides at. Pure and shared: the service expands a
 * plan with it, the renderer's form checks a plan as the person types with the same rules.
 */
import { HyperparamsSchema, totalIterations } from './hyperparams';
import { mulberry32 } from './random';
import type { Hyperparams } from './hyperparams';
import { CHOICE_FIELDS, INTEGER_FIELDS, MAX_TRIALS, SWEEPABLE_FIELDS } from './sweep';
import type { Dimension, EarlyStopping, SweepableField, SweepPlan } from './sweep';

/** A plan's configurations and trials, or the reasons it cannot run. */
export type Expansion =
  { ok: true; varied: SweepableField[]; configs: Hyperparams[]; trials: PlannedTrial[] } | { ok: false; problems: string[] };

export interface PlannedTrial {
  configIndex: number;
  hyperparams: Hyperparams;
}

/** How many draws a random search tries before it settles for fewer distinct configurations. */
const DRAWS_PER_SAMPLE = 20;
const MAX_SEED = 2 ** 31 - 1;

/** Expands `plan` into its trials; every problem in words when it cannot run. */
export function expandPlan(plan: SweepPlan): Expansion {
  const varied = SWEEPABLE_FIELDS.filter((field) => plan.vary[field] !== undefined);
  const problems = varied.flatMap((field) => dimensionProblems(field, plan.vary[field] as Dimension, plan.strategy));
  problems.push(...earlyStoppingProblems(plan));
  if (varied.length === 0 && plan.seedsPerConfig === 1) {
    problems.push('Nothing varies: vary at least one hyperparameter, or train one configuration with several seeds.');
  }
  if (problems.length > 0) return { ok: false, problems };

  const configs = plan.strategy === 'grid' ? gridConfigs(plan, varied) : randomConfigs(plan, varied);
  const trialCount = configs.length * plan.seedsPerConfig;
  if (trialCount > MAX_TRIALS) {
    return {
      ok: false,
      problems: [
        `${trialCount} trials (${configs.length} configurations × ${plan.seedsPerConfig} seeds) is more than ${MAX_TRIALS}: vary fewer values.`,
      ],
    };
  }
  const invalid = configs.flatMap((config) => configProblems(config));
  if (invalid.length > 0) return { ok: false, problems: [...new Set(invalid)] };

  const firstSeed = plan.base.seed ?? 1;
  const trials = configs.flatMap((config, configIndex) =>
    Array.from({ length: plan.seedsPerConfig }, (_, s) => ({
      configIndex,
      hyperparams: { ...config, seed: (firstSeed + s) % (MAX_SEED + 1) },
    })),
  );
  return { ok: true, varied, configs, trials };
}

/**
 * The iterations at which a trial of `total` iterations is judged: budget/η^k for
 * k = rungs … 1, moved up to the next validation pass (a rung needs a validation score), and
 * left out where that pass is the trial's last iteration (there is nothing left to save).
 */
export function rungIterations(total: number, validationInterval: number, earlyStopping: EarlyStopping | null): number[] {
  if (!earlyStopping || validationInterval <= 0) return [];
  const { reductionFactor: eta, rungs } = earlyStopping;
  const at = new Set<number>();
  for (let k = rungs; k >= 1; k--) {
    const iteration = Math.ceil(total / eta ** k / validationInterval) * validationInterval;
    if (iteration > 0 && iteration < total) at.add(iteration);
  }
  return [...at].sort((a, b) => a - b);
}

/** Rung fractions of the budget, smallest first: [1/9, 1/3] for η = 3 and two rungs. */
export function rungFractions(earlyStopping: EarlyStopping | null): number[] {
  if (!earlyStopping) return [];
  const { reductionFactor: eta, rungs } = earlyStopping;
  return Array.from({ length: rungs }, (_, i) => 1 / eta ** (rungs - i));
}

function dimensionProblems(field: SweepableField, dimension: Dimension, strategy: SweepPlan['strategy']): string[] {
  const isChoice = (CHOICE_FIELDS as readonly string[]).includes(field);
  if (dimension.mode === 'list') {
    const problems = dimension.values.flatMap((value, i) => valueProblems(field, value, `${field} value ${i + 1}`));
    if (new Set(dimension.values).size !== dimension.values.length) problems.push(`${field}: a value is listed twice.`);
    return problems;
  }
  if (isChoice) return [`${field}: a choice takes a list of values, not a range.`];
  if (strategy === 'grid') return [`${field}: a grid search needs a list of values; a range is for random search.`];
  const problems = [...valueProblems(field, dimension.min, `${field} minimum`), ...valueProblems(field, dimension.max, `${field} maximum`)];
  if (dimension.min > dimension.max) problems.push(`${field}: the minimum ${dimension.min} is above the maximum ${dimension.max}.`);
  if (dimension.scale === 'log' && dimension.min <= 0) problems.push(`${field}: a log scale needs a minimum above 0.`);
  return problems;
}

/** What the hyperparameter's own schema says of one value, as a sentence. */
function valueProblems(field: SweepableField, value: unknown, label: string): string[] {
  const parsed = HyperparamsSchema.shape[field].safeParse(value);
  if (parsed.success) return [];
  return [`${label}: ${parsed.error.issues[0]?.message ?? 'not a valid value'} (got ${JSON.stringify(value)}).`];
}

function earlyStoppingProblems(plan: SweepPlan): string[] {
  if (!plan.earlyStopping) return [];
  if (plan.base.validationInterval === 0) {
    return ['Early stopping decides on validation accuracy: set a validation interval above 0.'];
  }
  const total = totalIterations(plan.base, plan.trainLimit);
  if (rungIterations(total, plan.base.validationInterval, plan.earlyStopping).length === 0) {
    return [
      `Early stopping has no rung before the end: with ${total} iterations, validate more often than every ${plan.base.validationInterval}.`,
    ];
  }
  return [];
}

/** A whole configuration checked by the hyperparameters' schema (catches nothing today; guards later rules). */
function configProblems(config: Hyperparams): string[] {
  const parsed = HyperparamsSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function gridConfigs(plan: SweepPlan, varied: SweepableField[]): Hyperparams[] {
  let configs: Hyperparams[] = [{ ...plan.base, seed: null }];
  for (const field of varied) {
    const dimension = plan.vary[field] as Extract<Dimension, { mode: 'list' }>;
    configs = configs.flatMap((config) => dimension.values.map((value) => ({ ...config, [field]: value })));
    if (configs.length > MAX_TRIALS) break; // refused by the caller; no need to build millions
  }
  return configs;
}

function randomConfigs(plan: SweepPlan, varied: SweepableField[]): Hyperparams[] {
  const random = mulberry32(plan.sweepSeed);
  const seen = new Set<string>();
  const configs: Hyperparams[] = [];
  for (let draw = 0; draw < plan.samples * DRAWS_PER_SAMPLE && configs.length < plan.samples; draw++) {
    const config: Hyperparams = { ...plan.base, seed: null };
    for (const field of varied) Object.assign(config, { [field]: drawValue(field, plan.vary[field] as Dimension, random) });
    const key = JSON.stringify(config);
    if (seen.has(key)) continue;
    seen.add(key);
    configs.push(config);
  }
  return configs;
}

function drawValue(field: SweepableField, dimension: Dimension, random: () => number): number | string {
  if (dimension.mode === 'list') return dimension.values[Math.floor(random() * dimension.values.length)];
  const u = random();
  const { min, max } = dimension;
  const value = dimension.scale === 'log' ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  if ((INTEGER_FIELDS as readonly string[]).includes(field)) return Math.min(max, Math.max(min, Math.round(value)));
  return Number(value.toPrecision(3)); // 0.00123, not 0.0012345678: a value a person can read and type
}
