/**
 * The sweep contract: what a person plans (fixed and varied hyperparameters, grid or random,
 * seeds per configuration, successive-halving rungs), what the service keeps on disk while the
 * trials run, and what a sweep looks like to the renderer and the CLI. Shapes only; the rules
 * that need more than one field at a time (a range's bounds, the trial count) are in
 * `sweep-plan.ts`, so that every refusal comes with a sentence, not a schema path.
 */
import { z } from 'zod';
import { HyperparamsSchema, TestLimitSchema, TrainLimitSchema } from './hyperparams';
import type { Hyperparams } from './hyperparams';
import { QueueTargetSchema } from './redis-url';

/** Hyperparameters a sweep may vary; the budget and validation interval belong to the whole sweep. */
export const SWEEPABLE_FIELDS = [
  'cell',
  'units',
  'layers',
  'forgetBias',
  'learningRate',
  'optimizer',
  'batchSize',
  'dropout',
  'rotation',
  'shear',
  'aspect',
  'thickness',
  'elastic',
] as const;
export type SweepableField = (typeof SWEEPABLE_FIELDS)[number];
/** The varied fields that take whole numbers (integer ranges). */
export const INTEGER_FIELDS = ['units', 'layers', 'batchSize'] as const satisfies readonly SweepableField[];
/** The varied fields that are choices: lists only, never ranges. */
export const CHOICE_FIELDS = ['cell', 'optimizer'] as const satisfies readonly SweepableField[];

export const SWEEP_STRATEGIES = ['grid', 'random'] as const;
export const RANGE_SCALES = ['linear', 'log'] as const;
/** Above this many trials a plan is refused: days of training on a laptop, and almost surely a typo. */
export const MAX_TRIALS = 500;
export const MAX_SEEDS = 10;

/** One varied hyperparameter: a list of values (grid or random), or a range to sample (random). */
export const DimensionSchema = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('list'),
      values: z
        .array(z.union([z.number(), z.string().max(40)]))
        .min(1)
        .max(64),
    })
    .strict(),
  z.object({ mode: z.literal('range'), min: z.number(), max: z.number(), scale: z.enum(RANGE_SCALES).default('linear') }).strict(),
]);
export type Dimension = z.infer<typeof DimensionSchema>;

const VarySchema = z
  .object(
    Object.fromEntries(SWEEPABLE_FIELDS.map((field) => [field, DimensionSchema.optional()])) as Record<
      SweepableField,
      z.ZodOptional<typeof DimensionSchema>
    >,
  )
  .strict();

/** Successive halving (ASHA): at each rung, a trial in the bottom 1 − 1/η of those seen there stops. */
export const EarlyStoppingSchema = z
  .object({
    /** η: keep the top 1/η at each rung. */
    reductionFactor: z.number().int().min(2).max(4).default(3),
    /** Rungs at budget/η^k, k = rungs … 1: with η = 3 and 2 rungs, at 1/9 and 1/3 of the budget. */
    rungs: z.number().int().min(1).max(4).default(2),
  })
  .strict();
export type EarlyStopping = z.infer<typeof EarlyStoppingSchema>;

export const SweepPlanSchema = z
  .object({
    name: z.string().max(200).optional(),
    /** Every hyperparameter's value where it is not varied; its budget is each trial's budget. */
    base: HyperparamsSchema,
    vary: VarySchema,
    strategy: z.enum(SWEEP_STRATEGIES).default('grid'),
    /** Random search: how many configurations to draw. Grid search ignores it. */
    samples: z.number().int().min(1).max(MAX_TRIALS).default(8),
    /** Each configuration trains with seeds first, first + 1, …: results get a spread. */
    seedsPerConfig: z.number().int().min(1).max(MAX_SEEDS).default(1),
    /** Seeds the random search's draws, so the same plan gives the same trials. */
    sweepSeed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    earlyStopping: EarlyStoppingSchema.nullable().default(null),
    /** As in StartRequest: a subset of the data for quick checks and tests. */
    trainLimit: TrainLimitSchema.optional(),
    testLimit: TestLimitSchema.optional(),
    /**
     * Run the trials on workers (`npm run worker -- --queue URL` on any machine) through BullMQ on
     * this Redis instead of one after another here. Only a start request carries it: the saved
     * plan never holds the URL (its password stays out of the sweep's file; `SweepState.queue`).
     */
    queue: QueueTargetSchema.optional(),
  })
  .strict();
export type SweepPlan = z.infer<typeof SweepPlanSchema>;
export type SweepPlanInput = z.input<typeof SweepPlanSchema>;

const SweepIdPattern = /^sweep-[A-Za-z0-9_.-]{1,100}$/;
export const SweepRefSchema = z
  .object({
    sweepId: z
      .string()
      .regex(SweepIdPattern, 'a sweep id is "sweep-" then letters, digits, "_", "." and "-"')
      .refine((s) => !s.includes('..'), 'a sweep id may not contain ".."'),
  })
  .strict();
export type SweepRef = z.infer<typeof SweepRefSchema>;

/** On a run that is a sweep's trial: which sweep, which trial (0-based). */
export const SweepTagSchema = z
  .object({
    sweepId: SweepRefSchema.shape.sweepId,
    trial: z
      .number()
      .int()
      .min(0)
      .max(MAX_TRIALS - 1),
  })
  .strict();
export type SweepTag = z.infer<typeof SweepTagSchema>;

// ---------------------------------------------------------------- trials and state

export const TRIAL_STATUSES = ['pending', 'running', 'done', 'pruned', 'stopped', 'failed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/** True once a trial will train no more: finished, stopped early, stopped by the person, or failed. */
export function isTrialEnded(trial: { status: TrialStatus }): boolean {
  return trial.status !== 'pending' && trial.status !== 'running';
}

/** One configuration × one seed. */
export interface SweepTrial {
  /** 0-based position in the sweep; trials run in this order. */
  index: number;
  /** Trials with the same configIndex differ only in their seed. */
  configIndex: number;
  hyperparams: Hyperparams;
  status: TrialStatus;
  /** The run that trains (or trained) it; null before it starts. */
  runId: string | null;
  /** Validation accuracy at each rung it reached (null where it has not got there). */
  rungScores: (number | null)[];
  iterations: number;
  totalIterations: number;
  bestValidation: number | null;
  finalValidation: number | null;
  testAccuracy: number | null;
  wallMs: number;
  /** Validation points, for the overlaid curves. */
  validation: { iteration: number; accuracy: number }[];
  /** Why it failed, for status 'failed'. */
  error: string | null;
  /** A sweep on workers: where the trial is, or was, trained; absent for a sweep on this machine. */
  queue?: TrialOnWorkers;
}

/** A queued trial's place among the workers, as the sweep's file keeps it. */
export interface TrialOnWorkers {
  /** The worker training it (or that trained it), as the worker names itself (`host:pid`); null while it waits. */
  worker: string | null;
  /** How many times a worker has taken it: more than 1 after a worker died or failed mid-trial. */
  attempts: number;
  /** Why it was handed to another worker the last time it was; null if it never was. */
  retryReason: string | null;
  /** The iteration of the latest checkpoint a worker reported: where a retry resumes; null for none. */
  checkpoint: number | null;
}

/** Where a sweep on workers sends its trials, as its file records it (the password is never in it). */
export interface SweepQueueInfo {
  /** The Redis URL with its password replaced by `***`. */
  url: string;
  /** The BullMQ queue the trials are jobs of. */
  queueName: string;
  /** What this sweep's job ids and keys start with: the sweep id and a random part, so two studios never share one. */
  namespace: string;
}

export const SWEEP_STATUSES = ['running', 'stopped', 'done', 'interrupted'] as const;
/** running: trials are training; stopped: the person stopped it; interrupted: the app closed mid-sweep. */
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/** What `sweeps/<sweepId>.json` holds. */
export interface SweepState {
  formatVersion: 1;
  sweepId: string;
  name: string;
  createdAt: string;
  plan: SweepPlan;
  /** The varied fields, in the order the plan lists them. */
  varied: SweepableField[];
  /** Rung fractions of each trial's budget, smallest first; empty without early stopping. */
  rungs: number[];
  status: SweepStatus;
  trials: SweepTrial[];
  /** Set for a sweep whose trials run on workers: it resumes by reattaching to this queue. */
  queue?: SweepQueueInfo;
}

/** A sweep in a list: enough to offer it for resume or open its results. */
export interface SweepSummary {
  sweepId: string;
  name: string;
  createdAt: string;
  status: SweepStatus;
  trialCount: number;
  finished: number;
  bestValidation: number | null;
}

/** A sweep file that could not be read, and why. */
export interface DamagedSweep {
  sweepId: string;
  message: string;
}

export interface SweepListing {
  sweeps: SweepSummary[];
  damaged: DamagedSweep[];
}

/** Sent whenever a sweep's state changes (a trial starts or ends, a rung decides); never coalesced away. */
export interface SweepEvent {
  type: 'sweep';
  sweepId: string;
  name: string;
  status: SweepStatus;
  trialCount: number;
  finished: number;
  /** The trial training now, 0-based; null between trials and at the end. */
  currentTrial: number | null;
  currentRunId: string | null;
  /**
   * Time the trials after the current one will take, from the plan's estimate rescaled by how
   * the finished trials went; the current trial's own ETA is on its progress events.
   */
  remainingAfterCurrentMs: number;
  /** Why the sweep stopped on its own (its file could not be written, say); null otherwise. */
  problem: string | null;
  /** A sweep on workers: the trials training now, with their live progress; absent for a sweep on this machine. */
  queue?: { url: string; running: TrialLive[]; waiting: number };
  /**
   * True when only the running trials' progress changed (nothing in the sweep's file did), so a
   * front end need not read the sweep again. Such events come at most a few times a second.
   */
  isProgressOnly?: boolean;
}

/** A queued trial as it trains on a worker, from the worker's (throttled) reports. */
export interface TrialLive {
  trial: number;
  runId: string;
  worker: string | null;
  iteration: number;
  totalIterations: number;
  samplesPerSec: number;
  etaMs: number;
}

/** What the form shows before a sweep starts. */
export interface SweepPreview {
  configCount: number;
  trialCount: number;
  /** The first few trials' hyperparameters, as they will run. */
  sample: Hyperparams[];
  /** Rung iterations for a trial with the base budget, where early stopping is on. */
  rungIterations: number[];
  /** Roughly how long, without early stopping (an upper bound with it). */
  estimateMs: number;
  /** Where the speed in the estimate comes from, in words. */
  estimateBasis: string;
}
