/**
 * How much the Electron main process's event loop stalls while a run trains: the same
 * StudioService main uses (worker thread, coalesced events) hosted on this thread, with
 * perf_hooks' event-loop delay histogram running for the whole run.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import type { StudioEvent } from '../common/api';
import { StudioService } from '../main/service/service';
import { tempDir } from './bench-measure';

export interface MainLoopResult {
  iterations: number;
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /** Events that reached this thread (after coalescing). */
  events: number;
}

/** Trains `iterations` of the classic configuration through the service; the loop delay meanwhile. */
export async function measureMainLoop(dataDir: string, iterations = 300): Promise<MainLoopResult> {
  const runs = tempDir('lstm-bench-main-');
  const service = new StudioService({ dataDir, runsDir: path.join(runs.dir, 'runs') });
  try {
    await service.getStatus(); // the worker is up before the clock starts
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    let events = 0;
    const finished = new Promise<StudioEvent>((resolve) => {
      service.onEvent((event) => {
        events++;
        if (event.type === 'done' || event.type === 'error') resolve(event);
      });
    });
    histogram.enable();
    await service.startTraining({ hyperparams: { budget: iterations, validationInterval: 100, seed: 1 }, testLimit: 1000 });
    const end = await finished;
    histogram.disable();
    if (end.type === 'error') throw new Error(`the run failed: ${end.message}`);
    const ms = (ns: number) => ns / 1e6;
    return { iterations, maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean), events };
  } finally {
    await service.dispose();
    runs.remove();
  }
}
