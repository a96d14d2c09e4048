/**
 * The app's security policy as data and pure checks, kept apart from `security.ts` (which
 * applies it through Electron) so tests can load it without an Electron binary.
 */

/**
 * Sent as a header for every response, identical to the `<meta>` in renderer/index.html
 * (a test compares them): only our own bundled files, no inline code, no network.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

/**
 * Pages a link in the app may open in the person's browser: the project, the dataset and
 * the libraries it credits. Each entry is an origin plus a path prefix.
 */
export const EXTERNAL_LINK_ALLOW_LIST: readonly string[] = [
  'https://github.com/',
  'https://www.tensorflow.org/',
  'https://js.tensorflow.org/',
  'https://yann.lecun.com/exdb/mnist/',
  'https://www.electronjs.org/',
  'https://svelte.dev/',
  'https://www.chartjs.org/',
];

/**
 * True when `url` may be handed to shell.openExternal: https only (a link upgraded by us
 * would surprise nobody, an http one could be tampered with), no credentials, an exact
 * origin and a path inside one of the allowed prefixes.
 */
export function isAllowedExternalUrl(url: string, allowList: readonly string[] = EXTERNAL_LINK_ALLOW_LIST): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false;
  return allowList.some((entry) => {
    const allowed = new URL(entry);
    return parsed.origin === allowed.origin && parsed.pathname.startsWith(allowed.pathname);
  });
}

/** Adds (or replaces) the CSP header in a webRequest response-headers record. */
export function withCspHeader(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Drop any other CSP so ours is the only one in force; header names are case-insensitive.
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}
