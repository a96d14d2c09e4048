/**
 * `npm run bench -- --sweep FILE`: a whole sweep through the same StudioService the app hosts
 * on its main thread, timed end to end: wall time, each trial's time and the gap between one
 * trial's end and the next one's start (the sweep's own overhead), the estimate the form showed
 * against what it took, and how much this (main) thread's event loop stalled meanwhile. The
 * runs and the sweep go to a throwaway folder; the dataset cache is the bench's.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { StudioEvent } from '../common/api';
import type { SweepState } from '../common/sweep';
import { parseSweepConfig } from '../main/cli/sweep-args';
import { formatDuration } from '../main/cli/progress';
import { rankingLines, trialLine } from '../main/cli/sweep-lines';
import { StudioService } from '../main/service/service';
import { median, tempDir } from './bench-measure';
import { fmt } from './bench-modes';

export interface SweepBench {
  trials: number;
  wallMs: number;
  estimateMs: number;
  /** Median and largest time from one trial's `done` to the next one's `started`. */
  gapMedianMs: number;
  gapMaxMs: number;
  loopMaxMs: number;
  loopP99Ms: number;
  state: SweepState;
}

export async function measureSweep(dataDir: string, file: string): Promise<SweepBench> {
  const config = parseSweepConfig(await readFile(file, 'utf8'), file);
  if (!config.ok) throw new Error(config.message);
  const runs = tempDir('lstm-bench-sweep-');
  const service = new StudioService({ dataDir, runsDir: path.join(runs.dir, 'runs'), predictorWorker: false });
  try {
    await service.getStatus(); // the worker is up before the clock starts
    const preview = await service.previewSweep(config.plan);
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    const gaps: number[] = [];
    let lastDone: number | null = null;
    const ended = new Promise<string>((resolve) => {
      service.onEvent((event: StudioEvent) => {
        if (event.type === 'done' || event.type === 'error') lastDone = performance.now();
        if (event.type === 'started' && lastDone !== null) gaps.push(performance.now() - lastDone);
        if (event.type === 'sweep' && event.status !== 'running') resolve(event.sweepId);
      });
    });
    histogram.enable();
    const t0 = performance.now();
    await service.startSweep(config.plan);
    const sweepId = await ended;
    const wallMs = performance.now() - t0;
    histogram.disable();
    return {
      trials: preview.trialCount,
      wallMs,
      estimateMs: preview.estimateMs,
      gapMedianMs: gaps.length > 0 ? median(gaps) : 0,
      gapMaxMs: gaps.length > 0 ? Math.max(...gaps) : 0,
      loopMaxMs: histogram.max / 1e6,
      loopP99Ms: histogram.percentile(99) / 1e6,
      state: await service.loadSweep({ sweepId }),
    };
  } finally {
    await service.dispose();
    runs.remove();
  }
}

export function sweepLines(bench: SweepBench, file: string): string[] {
  const { state } = bench;
  const pruned = state.trials.filter((t) => t.status === 'pruned').length;
  return [
    `sweep ${file}: ${bench.trials} trials (${pruned} stopped early), status ${state.status}`,
    ...state.trials.map((t) => `  ${trialLine(t, state)}`),
    ...rankingLines(state),
    '',
    `wall time                 ${formatDuration(bench.wallMs)} (${fmt(bench.wallMs / 1000, 1)} s); the form's estimate ${formatDuration(bench.estimateMs)} (no early stopping)`,
    `between trials            median ${fmt(bench.gapMedianMs)} ms, max ${fmt(bench.gapMaxMs)} ms (saving one trial's run to starting the next)`,
    `main-thread loop delay    max ${fmt(bench.loopMaxMs, 1)} ms, p99 ${fmt(bench.loopP99Ms, 1)} ms over the whole sweep`,
  ];
}
