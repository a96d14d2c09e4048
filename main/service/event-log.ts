/**
 * What the log file says about runs: one `info` line per start, end, failure and worker
 * restart, so that a log sent with a bug report tells what was training when things went
 * wrong. Progress is left out (a run's own history keeps it). These lines repeat what the
 * window or the CLI already showed the person; the diagnostics they never see (stack traces,
 * exit codes) are logged at `error` by the worker host itself.
 */
import type { StudioEvent } from '../../common/api';
import type { Logger } from './logger';

/** Logs `event` if it is a milestone; `source` names the worker ('trainer', 'predictor'). */
export function logStudioEvent(log: Logger, source: string, event: StudioEvent): void {
  const line = describeEvent(event);
  if (line !== null) log.info(`${source}: ${line}`);
}

function describeEvent(event: StudioEvent): string | null {
  switch (event.type) {
    case 'started': {
      const resumed = event.resumedFrom ? `, resumed at iteration ${event.resumedFrom.iteration}` : '';
      const { cell, units, layers } = event.hyperparams;
      return `run ${event.runId} started (${cell} ${units}×${layers}, ${event.totalIterations} iterations on ${event.backend}${resumed})`;
    }
    case 'done': {
      const accuracy = event.test.count > 0 ? `, ${(event.test.accuracy * 100).toFixed(2)} % on ${event.test.count} test images` : '';
      const how = event.stopped ? 'stopped' : 'finished';
      return `run ${event.runId} ${how} after ${event.iterations} iterations in ${Math.round(event.elapsedMs / 1000)} s${accuracy}`;
    }
    case 'error':
      return `${event.runId === null ? 'no run' : `run ${event.runId}`} failed (${event.code}): ${event.message}`;
    case 'worker-restarted':
      return `worker restarted after: ${event.reason}`;
    default:
      return null;
  }
}
