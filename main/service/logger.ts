/**
 * Where the service, the worker hosts and the front ends write what went wrong. An interface,
 * not electron-log itself, so that main/service stays free of Electron: the app hands it
 * electron-log's main logger (main/app/logging.ts), browser mode a rotating file
 * (log-file.ts), the CLI and the tests the console or a recorder.
 */

/** The three levels the studio writes; `console` and electron-log's loggers both fit it. */
export interface Logger {
  error(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  info(...parts: unknown[]): void;
}

/** The default where nobody chose: a terminal the person is looking at (the CLI, tests). */
export const consoleLogger: Logger = console;

/**
 * Writes a Node process's own uncaught exception (and, as Node 15+ turns them into one, an
 * unhandled rejection) to `logger` just before Node's default handling ends the process; the
 * monitor event changes nothing about that handling. Returns the unsubscribe.
 */
export function logProcessCrashes(logger: Logger, target: NodeJS.Process = process): () => void {
  const onCrash = (err: Error, origin: NodeJS.UncaughtExceptionOrigin): void => logger.error(`Crashed (${origin}):`, err);
  target.on('uncaughtExceptionMonitor', onCrash);
  return () => void target.off('uncaughtExceptionMonitor', onCrash);
}
