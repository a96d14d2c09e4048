/**
 * What the studio remembers between starts, as plain data: the view last shown, the run the
 * Draw and Test-set views use, and the chart settings. `parseViewState` checks what storage
 * held field by field, so a field that is missing or malformed (an older version, a hand
 * edit) falls back to its default without costing the others.
 */
import { RunRefSchema } from '../../../common/api';
import { DEFAULT_SMOOTHING, MAX_SMOOTHING } from './smoothing';

/** The views, in tab order. */
export const VIEWS = [
  { id: 'train', label: 'Train' },
  { id: 'sweeps', label: 'Sweeps' },
  { id: 'runs', label: 'Runs' },
  { id: 'draw', label: 'Draw' },
  { id: 'test', label: 'Test set' },
] as const;
/** One of the views the tabs switch between. */
export type ViewId = (typeof VIEWS)[number]['id'];

/** The remembered state. */
export interface ViewState {
  view: ViewId;
  /** The run Draw and Test set use; null for the newest. */
  chosenRunId: string | null;
  /** Loss charts on a log axis. */
  isLossLog: boolean;
  /** The curves' EMA weight, 0–MAX_SMOOTHING. */
  smoothing: number;
}

/** A first start's state. */
export const DEFAULT_VIEW_STATE: ViewState = { view: 'train', chosenRunId: null, isLossLog: false, smoothing: DEFAULT_SMOOTHING };

/** True for a smoothing weight the slider can show (0–MAX_SMOOTHING). */
export function isSmoothing(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_SMOOTHING;
}

/** The state in `stored` (anything JSON.parse gave), each bad or missing field at its default. */
export function parseViewState(stored: unknown): ViewState {
  const fields = (typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? stored : {}) as Record<string, unknown>;
  const { view, chosenRunId, isLossLog, smoothing } = fields;
  return {
    view: VIEWS.find((v) => v.id === view)?.id ?? DEFAULT_VIEW_STATE.view,
    // A run id names a folder: only one the API would accept comes back.
    chosenRunId: RunRefSchema.shape.runId.safeParse(chosenRunId).success ? (chosenRunId as string) : null,
    isLossLog: typeof isLossLog === 'boolean' ? isLossLog : DEFAULT_VIEW_STATE.isLossLog,
    smoothing: isSmoothing(smoothing) ? smoothing : DEFAULT_VIEW_STATE.smoothing,
  };
}
