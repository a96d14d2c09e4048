/**
 * The log file a person can send: electron-log's file transport pointed at one file, capped in
 * size and rotated (`main.log` → `main.1.log` → `main.2.log`, the oldest dropped), so that a
 * crash loop cannot fill the disk and yesterday's trouble is still there today. The app applies
 * `useRotatingFile` to electron-log's main logger; browser mode takes a whole logger from
 * `createFileLogger` (electron-log/node). No `electron` import.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FileTransport } from 'electron-log';
import nodeLog from 'electron-log/node';
import type { Logger } from './logger';
import { PRODUCT_NAME } from './paths';

/** 2 MB per file: weeks of ordinary use, a few thousand stack traces in a bad hour. */
export const LOG_MAX_BYTES = 2 * 1024 * 1024;
/** Previous files kept beside the current one. */
export const LOG_ARCHIVES = 2;

export interface RotationOptions {
  /** The current file is archived once it grows past this many bytes. */
  maxBytes?: number;
  /** How many archived files to keep (`name.1.log` newest). */
  archives?: number;
}

/** `dir/main.log`, 2 → `dir/main.2.log`. */
export function archivedLogPath(file: string, n: number): string {
  const { dir, name, ext } = path.parse(file);
  return path.join(dir, `${name}.${n}${ext}`);
}

/** Points `transport` at `file` (any folder: not electron-log's guess) with rotation. */
export function useRotatingFile(transport: FileTransport, file: string, options: RotationOptions = {}): void {
  const archives = options.archives ?? LOG_ARCHIVES;
  // electron-log's own rotation: one `.old.log`, or, where even a rename fails, a cropped file.
  const fallback = transport.archiveLogFn;
  transport.resolvePathFn = () => file;
  transport.maxSize = options.maxBytes ?? LOG_MAX_BYTES;
  transport.archiveLogFn = (current) => {
    try {
      shiftArchives(current.path, archives);
    } catch {
      fallback(current); // a file another program holds open (Windows) still must not grow forever
    }
  };
}

/** Drops the oldest archive, moves each one up a number, and makes the current file number 1. */
function shiftArchives(file: string, archives: number): void {
  rmSync(archivedLogPath(file, archives), { force: true });
  for (let n = archives - 1; n >= 1; n--) {
    const from = archivedLogPath(file, n);
    if (existsSync(from)) renameSync(from, archivedLogPath(file, n + 1));
  }
  renameSync(file, archivedLogPath(file, 1));
}

export interface FileLoggerOptions extends RotationOptions {
  /** The lowest level also printed to the terminal; false prints nothing there. Default 'warn'. */
  consoleLevel?: 'error' | 'warn' | 'info' | false;
}

/**
 * A logger of its own (electron-log/node, so no Electron needed) writing everything from
 * `info` up to `file`, rotated, and warnings and errors also to the terminal.
 */
export function createFileLogger(file: string, options: FileLoggerOptions = {}): Logger {
  const logger = nodeLog.create({ logId: `file:${file}` });
  // Only used for electron-log's default paths, which useRotatingFile replaces; set so that it never has to guess.
  logger.transports.file.setAppName(PRODUCT_NAME);
  useRotatingFile(logger.transports.file, file, options);
  logger.transports.file.level = 'info';
  logger.transports.console.level = options.consoleLevel ?? 'warn';
  return logger;
}
