/**
 * Applies the security policy (security-policy.ts) through Electron: sandbox everywhere, a CSP
 * header, no permissions, no navigation, no new windows, no <webview>. Hardening is attached
 * to every webContents the app ever creates, not only the main window's.
 */
import { app, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { isAllowedExternalUrl, withCspHeader } from '../../common/security-policy';

/** Must run before `ready`: sandboxes every renderer and hardens every webContents. */
export function setupSecurity(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** CSP header and a blanket "no" to permission requests and checks for a session. */
export function setupSessionSecurity(session: Session): void {
  // Every response, file:// included: the app loads nothing but its own files, so the
  // header can only tighten things; the renderer's <meta> says the same.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
  // A digit trainer needs no camera, microphone, notifications, geolocation or USB.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** No navigation away from the renderer, no popups, no webviews; vetted links open outside. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openIfAllowed(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
}

function openIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) {
    shell.openExternal(url).catch((err: unknown) => console.error(`Could not open ${url}:`, err));
  } else if (!url.startsWith('file:')) {
    console.warn(`Blocked navigation to ${url}: not on the external-link allow-list`);
  }
}
