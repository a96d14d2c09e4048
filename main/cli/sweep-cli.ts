/**
 * `npm run sweep`: a hyperparameter sweep headless, on the same service, worker, engine and
 * storage as the app. One line per finished trial, a progress bar for the trial in progress
 * on a terminal, the ranking at the end. Ctrl+C stops the sweep after the current batch (the
 * trial is saved and `--resume` continues); a second Ctrl+C quits at once. With `--queue URL`
 * the trials run on workers instead: a line when a worker takes one (and when one is handed to
 * another worker), and on a terminal one status line for all the trials training.
 */
import type { StudioEvent } from '../../common/api';
import { redactRedisUrl } from '../../common/redis-url';
import { isTrialEnded } from '../../common/sweep';
import type { SweepPlan, SweepState } from '../../common/sweep';
import { createCliService } from './cli-service';
import { progressLine } from './progress';
import { parseSweepArgs, readSweepConfig, sweepHelpText } from './sweep-args';
import type { SweepOptions } from './sweep-args';
import { configText, listLines, planLines, queueLine, rankingLines, trialLine, workerLine } from './sweep-lines';
import type { StudioService } from '../service/service';

const EXIT_USAGE = 2;
const EXIT_FAILED = 1;
const EXIT_STOPPED = 130;

async function runSweep(options: SweepOptions): Promise<number> {
  const { action } = options;
  let plan: SweepPlan | null = null;
  if (action.kind === 'run') {
    const config = await readSweepConfig(action.configPath);
    if (!config.ok) {
      console.error(config.message);
      return EXIT_USAGE;
    }
    plan = config.plan;
  }
  const { service } = createCliService(options);
  try {
    if (action.kind === 'list') {
      const { sweeps, damaged } = await service.listSweeps();
      for (const line of listLines(sweeps, damaged)) console.log(line);
      return 0;
    }
    if (action.kind !== 'run' || !action.isDryRun) {
      const status = await service.getStatus();
      if (status.backendNote) console.error(`Note: ${status.backendNote}`);
    }
    return await follow(service, options, plan);
  } finally {
    await service.dispose();
  }
}

/** Starts (or resumes) the sweep and prints it until it ends; the exit code. */
async function follow(service: StudioService, options: SweepOptions, plan: SweepPlan | null): Promise<number> {
  const { action } = options;
  /** Trials whose result line is out, and (off a terminal) those whose start has been said. */
  const printed = new Set<number>();
  /** Off a terminal: trials whose start has been said (on workers: per attempt, `index:attempt`). */
  const announced = new Set<string>();
  const isTty = process.stdout.isTTY === true;
  const clear = isTty ? '\r\x1b[2K' : '';
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(EXIT_STOPPED);
    console.error('\nStopping the sweep after this batch; the trial is saved. Ctrl+C again to quit now.');
    void service.stopSweep();
  });

  const ended = new Promise<SweepState>((resolve, reject) => {
    service.onEvent((event: StudioEvent) => {
      if (event.type === 'progress' && isTty) process.stdout.write(`${clear}${progressLine(event)}`);
      if (event.type !== 'sweep') return;
      if (event.queue && isTty) process.stdout.write(`${clear}${queueLine(event)}`);
      if (event.isProgressOnly) return; // nothing on disk changed
      void service.loadSweep({ sweepId: event.sweepId }).then((loaded) => {
        for (const trial of loaded.trials) {
          if (!isTrialEnded(trial) || printed.has(trial.index)) continue;
          printed.add(trial.index);
          process.stdout.write(`${clear}${trialLine(trial, loaded)}\n`);
        }
        for (const trial of loaded.queue ? loaded.trials : []) {
          const key = `${trial.index}:${trial.queue?.attempts ?? 0}`;
          if (trial.status !== 'running' || !trial.queue?.worker || announced.has(key)) continue;
          announced.add(key);
          process.stdout.write(`${clear}${workerLine(trial, loaded)}\n`);
        }
        const current = event.currentTrial === null || loaded.queue ? null : loaded.trials[event.currentTrial];
        if (current && !isTty && !announced.has(String(current.index))) {
          announced.add(String(current.index));
          console.log(
            `trial ${current.index + 1}/${loaded.trials.length}  ${configText(current, loaded.varied)} seed=${current.hyperparams.seed ?? '-'}  training…`,
          );
        }
        if (event.status !== 'running') resolve(loaded);
      }, reject);
    });
  });

  if (action.kind === 'run' && plan) {
    const preview = await service.previewSweep(plan);
    for (const line of planLines(preview, plan.name ?? 'unnamed')) console.log(line);
    if (action.isDryRun) {
      preview.sample.forEach((hp, i) => console.log(`  trial ${i + 1}: ${JSON.stringify(hp)}`));
      if (preview.trialCount > preview.sample.length) console.log(`  … and ${preview.trialCount - preview.sample.length} more`);
      return 0;
    }
    const { sweepId } = await service.startSweep(options.queueUrl ? { ...plan, queue: { url: options.queueUrl } } : plan);
    const where = options.queueUrl
      ? ` on the workers of ${redactRedisUrl(options.queueUrl)} (npm run worker -- --queue URL on each machine)`
      : '';
    console.log(`Sweep ${sweepId} started${where}; Ctrl+C stops it, npm run sweep -- --resume ${sweepId} continues it.`);
  } else if (action.kind === 'resume') {
    await service.resumeSweep({ sweepId: action.sweepId });
    console.log(`Resuming sweep ${action.sweepId}.`);
  }
  const final = await ended;
  process.stdout.write(clear);
  for (const line of rankingLines(final)) console.log(line);
  if (final.status === 'done') return 0;
  console.log(`\nSweep ${final.sweepId} ${final.status}; npm run sweep -- --resume ${final.sweepId} continues it.`);
  return final.status === 'stopped' ? EXIT_STOPPED : EXIT_FAILED;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseSweepArgs(argv);
  if (parsed.kind === 'help') {
    console.log(sweepHelpText());
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    return EXIT_USAGE;
  }
  return runSweep(parsed.options);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(EXIT_FAILED);
  },
);
