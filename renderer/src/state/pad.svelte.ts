/**
 * The Draw view's pad as the rest of the app reaches it: how many strokes it holds (for the
 * Undo stroke button) and Clear and Undo for the menu's commands. Nothing is held while the Draw
 * view is not showing: its pad is then gone, and a new one starts empty.
 */
import type { Pad } from '../lib/pad';

class DrawPad {
  /** Finished strokes on the pad now; 0 without a pad. */
  strokeCount = $state(0);
  #pad: Pad | null = null;

  /** Makes `pad` the one the commands act on; returns the detach for its teardown. */
  attach(pad: Pad): () => void {
    this.#pad = pad;
    this.strokeCount = 0;
    return () => {
      if (this.#pad !== pad) return;
      this.#pad = null;
      this.strokeCount = 0;
    };
  }

  clear(): void {
    this.#pad?.clear();
  }

  /** The pad's finished strokes and its side, for saving the drawing as one of "my digits"; null without a pad. */
  strokes(): ReturnType<Pad['strokes']> | null {
    return this.#pad?.strokes() ?? null;
  }

  /** Takes the last stroke away; false when there was none (or no pad). */
  undo(): boolean {
    return this.#pad?.undo() ?? false;
  }
}

/** The drawing pad's shared handle. */
export const drawPad = new DrawPad();
