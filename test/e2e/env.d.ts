import type { LstmBridge } from '../../preload/api';

declare global {
  interface Window {
    /** The preload's bridge (or the harness shim), as renderer/src/env.d.ts declares it. */
    readonly lstm?: LstmBridge;
  }
}

export {};
