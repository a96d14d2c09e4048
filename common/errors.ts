import type { ErrorCode, WireError } from './api';
import { ERROR_CODES } from './api';

/** The one error class the app throws: a code from api.ts and a message a person can act on. */
export class StudioError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

/** Flattens any thrown value for the wire; anything unexpected becomes `internal`. */
export function toWireError(err: unknown): WireError {
  if (err instanceof StudioError) return { code: err.code, message: err.message };
  if (isWireError(err)) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  const code = diskErrorCode(err);
  return code ? { code, message: describeDiskError(err as ErrnoLike) } : { code: 'internal', message };
}

/** Rebuilds a StudioError from its wire form. */
export function fromWireError(wire: WireError): StudioError {
  return new StudioError(wire.code, wire.message);
}

function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(v.code);
}

const DISK_ERRNOS = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EDQUOT', 'EIO']);

/** The parts of Node's ErrnoException these messages read (declared here: common/ loads in the browser too). */
export interface ErrnoLike {
  code?: string;
  path?: string;
  message: string;
}

function diskErrorCode(err: unknown): ErrorCode | null {
  const errno = (err as ErrnoLike | null)?.code;
  return typeof errno === 'string' && DISK_ERRNOS.has(errno) ? 'disk' : null;
}

/** A sentence for a failed write: disk full, read-only, no permission. */
export function describeDiskError(err: ErrnoLike): string {
  const where = err.path ? ` (${err.path})` : '';
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk is full${where}: free some space and try again. Nothing was half-written.`;
    case 'EROFS':
      return `The data folder is on a read-only disk${where}: choose a writable folder. Nothing was written.`;
    case 'EACCES':
    case 'EPERM':
      return `No permission to write${where}: check the folder's permissions. Nothing was written.`;
    default:
      return `The disk reported an error${where}: ${err.message}`;
  }
}
