/**
 * The sandboxed preload: exposes `window.lstm` (LstmBridge) and nothing else: no ipcRenderer,
 * no Node. Bundled to CommonJS by scripts/build-engine.mjs, since sandboxed preloads cannot
 * load ES modules or require anything but `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('lstm', createBridge(ipcRenderer));
