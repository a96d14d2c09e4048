import type { Timers } from '../../../../main/service/coalesce';

/** A manual clock for the coalescer: time moves only when a test calls `advance`. */
export class FakeTimers implements Timers {
  private nowMs = 0;
  private nextHandle = 1;
  private readonly due = new Map<number, { atMs: number; fn: () => void }>();

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.due.set(handle, { atMs: this.nowMs + ms, fn });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** Moves time forward, firing timers in due order. */
  advance(ms: number): void {
    const endMs = this.nowMs + ms;
    for (;;) {
      const next = [...this.due.entries()].sort((a, b) => a[1].atMs - b[1].atMs)[0];
      if (!next || next[1].atMs > endMs) break;
      this.due.delete(next[0]);
      this.nowMs = next[1].atMs;
      next[1].fn();
    }
    this.nowMs = endMs;
  }

  get pendingCount(): number {
    return this.due.size;
  }
}
