/**
 * The folder picker behind exportRun: main's native dialog, attached to our window, so the
 * destination of an export is always the person's choice and never a path the renderer sent.
 */
import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';

/** Asks where to export run `runId`; the chosen folder, or null when cancelled. */
export async function chooseExportFolder(window: BrowserWindow | null, runId: string): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: `Export run ${runId}`,
    buttonLabel: 'Export here',
    properties: ['openDirectory', 'createDirectory'],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}
