/**
 * The one list of StudioApi methods, from which every client of the API is derived: the
 * preload's IPC bridge and browser mode's HTTP bridge loop over it (VS Code's
 * `ProxyChannel.toService` idea), so adding a method to StudioApi and REQUEST_SCHEMAS (api.ts)
 * and here is all it takes. zod-free, so the sandboxed preload bundle stays small.
 */
import type { StudioApi, StudioMethod } from './api';

/** Every StudioApi method, once. */
export const API_METHODS = [
  'getStatus',
  'getDefaults',
  'startTraining',
  'resumeTraining',
  'listResumable',
  'stopTraining',
  'predict',
  'inspect',
  'evaluate',
  'listRuns',
  'loadRun',
  'deleteRun',
  'exportRun',
  'datasetStatus',
  'saveTextFile',
  'saveImageFile',
  'previewSweep',
  'startSweep',
  'resumeSweep',
  'stopSweep',
  'listSweeps',
  'loadSweep',
  'deleteSweep',
  'reportRendererError',
  'listMyDigits',
  'saveMyDigit',
  'deleteMyDigit',
  'updateMyDigit',
  'exportMyDigits',
  'importMyDigits',
  'scoreMyDigits',
  'fineTune',
  'fineTuneReport',
] as const satisfies readonly StudioMethod[];

/** Compiles only while API_METHODS names every StudioMethod: a method left out is a type error here. */
type Unlisted = Exclude<StudioMethod, (typeof API_METHODS)[number]>;
export const API_METHODS_ARE_COMPLETE: [Unlisted] extends [never] ? true : { missing: Unlisted } = true;

/** Sends one call over some transport and resolves with its unwrapped value. */
export type MethodCaller = (method: StudioMethod, payload?: unknown) => Promise<unknown>;

/** A StudioApi whose every method is one `call(method, payload)`. */
export function apiFrom(call: MethodCaller): StudioApi {
  const entries = API_METHODS.map((method) => [method, (payload?: unknown) => call(method, payload)] as const);
  // Each entry has the method's name and forwards its one argument; the transport checks types.
  return Object.fromEntries(entries) as unknown as StudioApi;
}
