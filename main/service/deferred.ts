/**
 * A promise with its resolve/reject exposed, for "ready" states that many callers await and
 * that are settled elsewhere. A rejection nobody awaits is not reported as unhandled: the
 * owner may reject a state that no caller happened to be waiting on.
 */
export class Deferred<T> {
  readonly promise: Promise<T>;
  private resolveFn!: (value: T) => void;
  private rejectFn!: (err: unknown) => void;
  private isSettled = false;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    this.promise.catch(() => undefined); // callers that await still see the rejection
  }

  /** True once resolved or rejected. */
  get settled(): boolean {
    return this.isSettled;
  }

  /** Resolves unless already settled. */
  resolve(value: T): void {
    if (this.isSettled) return;
    this.isSettled = true;
    this.resolveFn(value);
  }

  /** Rejects unless already settled. */
  reject(err: unknown): void {
    if (this.isSettled) return;
    this.isSettled = true;
    this.rejectFn(err);
  }
}
