/**
 * `npm run train`: headless training on the same service, worker and engine as the app.
 * Ctrl+C stops the run after the current batch (it is still evaluated and saved); a second
 * Ctrl+C quits at once.
 */
import path from 'node:path';
import type { StudioEvent } from '../../common/api';
import { helpText, parseTrainArgs } from './args';
import type { TrainOptions } from './args';
import { finishedLines, progressLine, startedLines, validationLine } from './progress';
import { createCliService } from './cli-service';

const EXIT_USAGE = 2;
const EXIT_FAILED = 1;

/** Prints one event; returns the exit code once the run has ended, else null. */
function show(event: StudioEvent, options: TrainOptions, runsDir: string): number | null {
  if (options.isJson) {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    return event.type === 'done' ? 0 : event.type === 'error' ? EXIT_FAILED : null;
  }
  const isTty = process.stdout.isTTY === true;
  const clear = isTty ? '\r\x1b[2K' : '';
  switch (event.type) {
    case 'started':
      for (const line of startedLines(event)) console.log(line);
      return null;
    case 'progress':
      if (event.validation) process.stdout.write(`${clear}${validationLine(event)}\n`);
      if (isTty) process.stdout.write(`${clear}${progressLine(event)}`);
      else if (event.iteration % 100 === 0 || event.validation) console.log(progressLine(event));
      return null;
    case 'done':
      process.stdout.write(clear);
      for (const line of finishedLines(event, path.join(runsDir, event.runId))) console.log(line);
      return 0;
    case 'error':
      process.stdout.write(clear);
      console.error(`Error (${event.code}): ${event.message}`);
      return EXIT_FAILED;
    case 'worker-restarted':
      console.error(`The trainer restarted: ${event.reason}`);
      return null;
    case 'sweep':
      return null; // npm run train starts no sweeps; npm run sweep prints them
  }
}

async function train(options: TrainOptions): Promise<number> {
  const { service, runsDir } = createCliService(options);
  const status = await service.getStatus();
  if (status.backendNote && !options.isJson) console.error(`Note: ${status.backendNote}`);
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    console.error('\nStopping after this batch; the run will still be evaluated and saved. Ctrl+C again to quit now.');
    void service.stopTraining();
  });
  try {
    const exitCode = new Promise<number>((resolve) => {
      service.onEvent((event) => {
        const code = show(event, options, runsDir);
        if (code !== null) resolve(code);
      });
    });
    if (options.resumeRunId) await service.resumeTraining({ runId: options.resumeRunId });
    else await service.startTraining(options.request);
    return await exitCode;
  } finally {
    await service.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseTrainArgs(argv);
  if (parsed.kind === 'help') {
    console.log(helpText());
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`${parsed.message}`);
    return EXIT_USAGE;
  }
  return train(parsed.options);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(EXIT_FAILED);
  },
);
