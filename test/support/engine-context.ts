/** The EngineContext integration tests train with: a real dataset and store, events collected, no stop, no yielding. */
import type { TrainEvent } from '../../common/api';
import type { MnistDataset } from '../../main/engine/data/dataset';
import type { EngineContext } from '../../main/engine/engine';
import type { RunStore } from '../../main/store/store';

export function engineContext(
  dataset: MnistDataset,
  store: RunStore,
  events: TrainEvent[],
  overrides: Partial<EngineContext> = {},
): EngineContext {
  return {
    dataset,
    store,
    backend: 'wasm',
    versions: {},
    emit: (e) => events.push(e),
    isStopRequested: () => false,
    yieldToEvents: async () => undefined,
    ...overrides,
  };
}
