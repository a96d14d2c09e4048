/**
 * What a person feels while a run trains, through the same StudioService main uses (worker
 * threads, coalesced events) hosted on this thread: how much the main process's event loop
 * stalls (perf_hooks' event-loop delay histogram over the whole run), and how long a drawing
 * pad's prediction takes meanwhile (one every 20 ms, as while a stroke is drawn), on the
 * predictor's own worker or, for comparison, on the trainer's thread.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import type { StudioEvent } from '../common/api';
import { DEFAULT_HYPERPARAMS } from '../common/api';
import { buildModel } from '../main/engine/model';
import { modelToFiles } from '../main/engine/model-io';
import { StudioService } from '../main/service/service';
import { RunStore } from '../main/store/store';
import { benchRecord, median, tempDir } from './bench-measure';

/** Where predictions are answered while the run trains; 'none' trains without predicting. */
export type PredictOn = 'none' | 'own worker' | 'trainer thread';

export interface PredictLatency {
  calls: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface MainLoopResult {
  predictOn: PredictOn;
  iterations: number;
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /** Events that reached this thread (after coalescing). */
  events: number;
  /** Training samples per second over the whole run (validation passes included). */
  trainSamplesPerSec: number;
  predict?: PredictLatency;
}

const PAD_INTERVAL_MS = 20;
const PREDICT_RUN = 'bench-pad';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Predicts one image every PAD_INTERVAL_MS until `until` settles; the latencies. */
async function predictUntil(service: StudioService, until: Promise<unknown>): Promise<PredictLatency> {
  let isDone = false;
  void until.finally(() => (isDone = true));
  const pixels = Array.from({ length: 784 }, (_, k) => ((k * 37) % 255) / 255);
  const times: number[] = [];
  while (!isDone) {
    const t0 = performance.now();
    await service.predict({ runId: PREDICT_RUN, pixels });
    times.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, PAD_INTERVAL_MS));
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    calls: times.length,
    medianMs: median(times),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? NaN,
  };
}

/** Trains `iterations` of the classic configuration through the service; loop delay, throughput and predictions meanwhile. */
export async function measureMainLoop(dataDir: string, predictOn: PredictOn = 'none', iterations = 300): Promise<MainLoopResult> {
  const runs = tempDir('lstm-bench-main-');
  const runsDir = path.join(runs.dir, 'runs');
  const service = new StudioService({ dataDir, runsDir, predictorWorker: predictOn !== 'trainer thread' });
  try {
    const model = buildModel(DEFAULT_HYPERPARAMS, 1);
    await new RunStore(runsDir).saveRun(benchRecord(PREDICT_RUN, 'wasm'), await modelToFiles(model));
    model.dispose();
    await service.getStatus(); // the workers are up before the clock starts
    if (predictOn !== 'none') await service.predict({ runId: PREDICT_RUN, pixels: new Array<number>(784).fill(0) });
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    let events = 0;
    let startedAt = 0;
    const finished = new Promise<StudioEvent>((resolve) => {
      service.onEvent((event) => {
        events++;
        if (event.type === 'started') startedAt = performance.now();
        if (event.type === 'done' || event.type === 'error') resolve(event);
      });
    });
    histogram.enable();
    await service.startTraining({ hyperparams: { budget: iterations, validationInterval: 100, seed: 1 }, testLimit: 1000 });
    const predict = predictOn === 'none' ? undefined : await predictUntil(service, finished);
    const end = await finished;
    const wallMs = performance.now() - startedAt;
    histogram.disable();
    if (end.type === 'error') throw new Error(`the run failed: ${end.message}`);
    const ms = (ns: number) => ns / 1e6;
    return {
      predictOn,
      iterations,
      maxMs: ms(histogram.max),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
      events,
      trainSamplesPerSec: (iterations * DEFAULT_HYPERPARAMS.batchSize) / (wallMs / 1000),
      ...(predict ? { predict } : {}),
    };
  } finally {
    await service.dispose();
    runs.remove();
  }
}
