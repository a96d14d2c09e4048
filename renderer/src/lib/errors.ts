/**
 * Turning whatever a bridge call rejected with into a readable { code, message }. Electron's
 * contextBridge copies only an Error's message (custom properties such as `code` are lost), so
 * besides `code` on the error we accept a plain { code, message } object and a "[code] message"
 * prefix in the text.
 */
import { ERROR_CODES, parseBridgeErrorMessage, type ErrorCode, type WireError } from '../../../common/api';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Best-effort conversion of a rejection to a WireError; unknown shapes become 'internal'. */
export function toWireError(error: unknown): WireError {
  if (typeof error === 'object' && error !== null) {
    const record = error as { code?: unknown; message?: unknown };
    const message = typeof record.message === 'string' ? record.message : String(error);
    // A BridgeError keeps its code and also carries it in the message ("[busy] …"): show it once.
    if (isErrorCode(record.code)) return { code: record.code, message: fromMessage(message).message };
    return fromMessage(message);
  }
  return fromMessage(typeof error === 'string' ? error : String(error));
}

function fromMessage(raw: string): WireError {
  // Electron prefixes rejected invoke() errors: "Error invoking remote method 'lstm:x': Error: …".
  const message = raw.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
  return parseBridgeErrorMessage(message, isErrorCode) ?? { code: 'internal', message };
}

const TITLES: Record<ErrorCode, string> = {
  'invalid-input': 'Invalid input',
  busy: 'A run is already training',
  'not-found': 'Not found',
  'dataset-missing': 'The MNIST data is missing',
  'dataset-corrupt': 'The MNIST data is damaged',
  'model-corrupt': 'The saved model is damaged',
  'sweep-corrupt': 'The saved sweep is damaged',
  diverged: 'Training diverged',
  'worker-crashed': 'The training worker crashed',
  'queue-unreachable': 'Redis cannot be reached',
  disk: 'Could not read or write a file',
  cancelled: 'Cancelled',
  internal: 'Something went wrong',
};

/** A short heading for an error code, for alerts. */
export function errorTitle(code: ErrorCode): string {
  return TITLES[code];
}

/** What the person can do next, where there is something useful to say. */
export function errorHint(code: ErrorCode): string | null {
  switch (code) {
    case 'diverged':
      return 'The loss blew up (NaN, infinite, or far above a random guess). Try a smaller learning rate.';
    case 'busy':
      return 'Wait for the current run to finish, or stop it first.';
    case 'dataset-corrupt':
      return 'The cached copy will be rebuilt from the original files on the next start.';
    case 'worker-crashed':
      return 'The worker has been restarted. Resume the run from its last checkpoint under Interrupted runs, or start it again.';
    case 'queue-unreachable':
      return 'Start redis-server on that machine (or check the URL, its password and the firewall), then start the sweep again. Nothing was sent to the workers.';
    default:
      return null;
  }
}
