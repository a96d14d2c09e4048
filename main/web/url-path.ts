/** Request targets and URL paths as browser mode's server reads them; malformed ones are null, never a throw. */

/** The request's path and query; null for anything but an origin-form path (`*`, `http://…`). */
export function requestUrl(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(`http://127.0.0.1${target}`);
  } catch {
    return null;
  }
}

/** A %-encoded path or part of one, decoded; null for a malformed %-escape. */
export function decodePath(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
