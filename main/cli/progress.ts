/** Text for the headless trainer's terminal: a one-line progress bar and the final report. */
import type { ProgressEvent, RunFinishedEvent, RunStartedEvent } from '../../common/api';

/** 83 s → "1:23", 3,725 s → "1:02:05". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const total = Math.round(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '  -  ');

/** `[#######.............]  35% it 280/800 loss 0.412 acc 87.5% | 2,840 samples/s | 0:12 ETA 0:22` */
export function progressLine(e: ProgressEvent, width = 20): string {
  const fraction = e.totalIterations > 0 ? e.iteration / e.totalIterations : 0;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const rate = Math.round(e.samplesPerSec).toLocaleString('en-US');
  return (
    `${bar} ${String(Math.floor(fraction * 100)).padStart(3)}% it ${e.iteration}/${e.totalIterations} ` +
    `loss ${e.loss.toFixed(3)} acc ${pct(e.accuracy)} | ${rate} samples/s | ${formatDuration(e.elapsedMs)} ETA ${formatDuration(e.etaMs)}`
  );
}

/** The tutorial's line, printed at each validation pass. */
export function validationLine(e: ProgressEvent): string {
  if (!e.validation) return '';
  return `Iter ${e.iteration}: validation loss ${e.validation.loss.toFixed(4)}, validation accuracy ${pct(e.validation.accuracy)}`;
}

export function startedLines(e: RunStartedEvent): string[] {
  const hp = e.hyperparams;
  const budget = `${hp.budget} ${hp.budgetUnit}`;
  return [
    `Run ${e.runId} on the ${e.backend} backend, seed ${e.seed}`,
    ...(e.resumedFrom ? [`Resuming from the checkpoint after iteration ${e.resumedFrom.iteration}`] : []),
    `${hp.layers}× ${hp.cell.toUpperCase()}(${hp.units}) → Dense(10); ${hp.optimizer} lr ${hp.learningRate}, batch ${hp.batchSize}, ${budget} = ${e.totalIterations} iterations`,
  ];
}

export function finishedLines(e: RunFinishedEvent, savedAt: string): string[] {
  const t = e.test;
  const scope = t.count === 10_000 ? 'all 10,000 test images' : `the first ${t.count.toLocaleString('en-US')} test images`;
  const perClass = t.perClassAccuracy.map((a, digit) => `${digit}: ${pct(a)}`).join('  ');
  return [
    e.stopped
      ? `Stopped after ${e.iterations} iterations; the partial run was saved.`
      : `Finished ${e.iterations} iterations in ${formatDuration(e.elapsedMs)}.`,
    `Test accuracy on ${scope}: ${(t.accuracy * 100).toFixed(2)} % (loss ${t.loss.toFixed(4)})`,
    `Per digit: ${perClass}`,
    `Saved run ${e.runId} to ${savedAt}`,
  ];
}
