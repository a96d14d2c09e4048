import { vi } from 'vitest';
import { DEFAULT_HYPERPARAMS } from '../../../../common/api';
import type { FineTuneReport, Inspection, MyDigitsListing, MyDigitsScore, StudioApi } from '../../../../common/api';

const myDigitsListing: MyDigitsListing = { revision: 0, digits: [], file: '/tmp/my-digits.json', problem: null };

/** A StudioApi whose every method is a spy, resolving to something plausible. */
export function fakeService() {
  return {
    getStatus: vi.fn(async () => ({ backend: 'cpu' as const, backendNote: null, isTraining: false, runId: null, live: null, sweep: null })),
    getDefaults: vi.fn(async () => DEFAULT_HYPERPARAMS),
    startTraining: vi.fn(async () => ({ runId: 'r1' })),
    resumeTraining: vi.fn(async () => ({ runId: 'r1' })),
    listResumable: vi.fn(async () => []),
    stopTraining: vi.fn(async () => undefined),
    predict: vi.fn(async () => ({ probabilities: [], perRow: [] })),
    inspect: vi.fn(async (): Promise<Inspection> => {
      throw new Error('not used');
    }),
    evaluate: vi.fn(async () => {
      throw new Error('not used');
    }),
    listRuns: vi.fn(async () => []),
    loadRun: vi.fn(async () => {
      throw new Error('not used');
    }),
    deleteRun: vi.fn(async () => undefined),
    exportRun: vi.fn(async () => ({ path: '/tmp/x' })),
    datasetStatus: vi.fn(async () => {
      throw new Error('not used');
    }),
    saveTextFile: vi.fn(async () => ({ path: '/tmp/x.csv' })),
    saveImageFile: vi.fn(async () => ({ path: '/tmp/x.png' })),
    previewSweep: vi.fn(async () => ({
      configCount: 1,
      trialCount: 2,
      sample: [],
      rungIterations: [],
      estimateMs: 1,
      estimateBasis: 'test',
    })),
    startSweep: vi.fn(async () => ({ sweepId: 'sweep-1' })),
    resumeSweep: vi.fn(async () => ({ sweepId: 'sweep-1' })),
    stopSweep: vi.fn(async () => undefined),
    listSweeps: vi.fn(async () => ({ sweeps: [], damaged: [] })),
    loadSweep: vi.fn(async () => {
      throw new Error('not used');
    }),
    deleteSweep: vi.fn(async () => undefined),
    reportRendererError: vi.fn(async () => undefined),
    listMyDigits: vi.fn(async () => myDigitsListing),
    saveMyDigit: vi.fn(async () => myDigitsListing),
    deleteMyDigit: vi.fn(async () => myDigitsListing),
    updateMyDigit: vi.fn(async () => myDigitsListing),
    exportMyDigits: vi.fn(async () => ({ path: '/tmp/my-digits.json' })),
    importMyDigits: vi.fn(async () => ({ added: 0, skipped: 0, overLimit: 0, problem: null })),
    scoreMyDigits: vi.fn(async (): Promise<MyDigitsScore> => {
      throw new Error('not used');
    }),
    fineTune: vi.fn(async () => ({ runId: 'r2' })),
    fineTuneReport: vi.fn(async (): Promise<FineTuneReport> => {
      throw new Error('not used');
    }),
  } satisfies StudioApi;
}
