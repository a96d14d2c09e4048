/**
 * Single-flight, latest-wins task runner: at most one call in flight; while it runs, newer
 * inputs replace each other and only the newest is sent next. Used for live predictions
 * while drawing, where pointer moves arrive far faster than the model answers.
 */

/** Where results go. */
export interface LatestHandlers<T, R> {
  onResult(result: R, input: T): void;
  onError(error: unknown, input: T): void;
}

/** See the module comment. Pure: no DOM, no timers. */
export class LatestRunner<T, R> {
  readonly #task: (input: T) => Promise<R>;
  readonly #handlers: LatestHandlers<T, R>;
  #isBusy = false;
  #pending: { input: T } | null = null;
  /** Bumped by cancel(): answers to older generations are dropped. */
  #generation = 0;

  constructor(task: (input: T) => Promise<R>, handlers: LatestHandlers<T, R>) {
    this.#task = task;
    this.#handlers = handlers;
  }

  /** True while a call is in flight. */
  get isBusy(): boolean {
    return this.#isBusy;
  }

  /** Runs `input` now, or after the call in flight (replacing any input already waiting). */
  submit(input: T): void {
    if (this.#isBusy) {
      this.#pending = { input };
      return;
    }
    void this.#run(input);
  }

  /** Drops the waiting input and ignores the answer of the call in flight (e.g. on Clear). */
  cancel(): void {
    this.#pending = null;
    this.#generation++;
  }

  async #run(input: T): Promise<void> {
    this.#isBusy = true;
    const generation = this.#generation;
    try {
      const result = await this.#task(input);
      if (generation === this.#generation) this.#handlers.onResult(result, input);
    } catch (error) {
      if (generation === this.#generation) this.#handlers.onError(error, input);
    } finally {
      this.#isBusy = false;
      const next = this.#pending;
      this.#pending = null;
      if (next) void this.#run(next.input);
    }
  }
}
