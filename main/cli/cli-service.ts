/** The StudioService the command-line tools train with: the app's data folders unless told otherwise, no predictor worker. */
import path from 'node:path';
import type { BackendName } from '../../common/api';
import type { Logger } from '../service/logger';
import { dataPaths } from '../service/paths';
import { StudioService } from '../service/service';

export interface CliPlaces {
  runsDir?: string;
  dataDir?: string;
  mnistDir?: string;
  backend?: BackendName;
}

/**
 * The command line keeps no log file: it prints each run's start, end and failure itself, and
 * what only a log would say (a worker's crash and stack trace, a dataset warning) goes to the
 * same terminal, on stderr, so that `--json` output on stdout stays clean.
 */
const terminalLogger: Logger = { error: console.error, warn: console.warn, info: () => undefined };

export function createCliService(places: CliPlaces): { service: StudioService; runsDir: string } {
  const defaults = dataPaths();
  const runsDir = path.resolve(places.runsDir ?? defaults.runsDir);
  const dataDir = path.resolve(places.dataDir ?? defaults.dataDir);
  const service = new StudioService({
    dataDir,
    runsDir,
    predictorWorker: false, // the command line only trains
    queueSweeps: { reattach: false }, // it follows only the sweep it is asked to (npm run sweep -- --resume)
    logger: terminalLogger,
    ...(places.mnistDir ? { mnistDir: path.resolve(places.mnistDir) } : {}),
    ...(places.backend ? { backends: [places.backend] } : {}),
  });
  return { service, runsDir };
}
