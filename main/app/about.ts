/**
 * The About panel: the app's version with Electron's, Chromium's, Node's and TensorFlow.js's, and
 * the backend training uses, which is what a bug report needs. macOS shows its native panel;
 * Windows and Linux a dialog whose Copy button puts the same lines on the clipboard.
 */
import { app, clipboard, dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import type { ReadyInfo } from '../service/trainer-host';

/** Everything the panel lists. */
export interface AboutFacts {
  appName: string;
  appVersion: string;
  /** process.versions: electron, chrome, node. */
  versions: Partial<Record<'electron' | 'chrome' | 'node', string>>;
  /** The trainer worker's report; null while it is still starting. */
  engine: ReadyInfo | null;
}

/** The panel's lines after the title, one fact each. */
export function aboutLines(facts: AboutFacts): string[] {
  const { versions, engine } = facts;
  const backend = engine
    ? `Backend: ${engine.backend}${engine.backendNote ? ` (${engine.backendNote})` : ''}`
    : 'Backend: not chosen yet, the trainer is still starting';
  return [
    `Electron ${versions.electron ?? 'unknown'}`,
    `Chromium ${versions.chrome ?? 'unknown'}`,
    `Node ${versions.node ?? 'unknown'}`,
    `TensorFlow.js ${engine?.versions.tfjs ?? 'unknown until the trainer has started'}`,
    backend,
  ];
}

/** Shows the About panel for this app, with `engine` as the service reports it now. */
export async function showAbout(window: BrowserWindow | null, engine: ReadyInfo | null): Promise<void> {
  const facts: AboutFacts = { appName: app.name, appVersion: app.getVersion(), versions: process.versions, engine };
  const lines = aboutLines(facts);
  if (process.platform === 'darwin') {
    app.setAboutPanelOptions({ applicationName: facts.appName, applicationVersion: facts.appVersion, credits: lines.join('\n') });
    app.showAboutPanel();
    return;
  }
  const options: Electron.MessageBoxOptions = {
    type: 'info',
    title: `About ${facts.appName}`,
    message: `${facts.appName} ${facts.appVersion}`,
    detail: lines.join('\n'),
    buttons: ['OK', 'Copy'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response === 1) clipboard.writeText([options.message, ...lines].join('\n'));
}
