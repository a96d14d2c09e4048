/**
 * The folder picker behind exportRun, the save dialog behind saveTextFile, saveImageFile and
 * exportMyDigits, and the open dialog behind importMyDigits: main's native dialogs, attached to our window, so where anything is written is always the
 * person's choice and never a path the renderer sent.
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

/** Asks where to save a text file the renderer made, suggesting `fileName` in the documents folder; null when cancelled. */
export async function chooseSaveFile(window: BrowserWindow | null, fileName: string): Promise<string | null> {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
  const options: Electron.SaveDialogOptions = {
    title: `Save ${fileName}`,
    defaultPath: fileName,
    filters: extension ? [{ name: extension.toUpperCase(), extensions: [extension] }] : [],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

/** Asks which JSON file to import (an exported set of digits, `fileName` by default); null when cancelled. */
export async function chooseOpenFile(window: BrowserWindow | null, fileName: string): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: `Import ${fileName}`,
    buttonLabel: 'Import',
    filters: [{ name: 'JSON', extensions: ['json'] }],
    properties: ['openFile'],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}
