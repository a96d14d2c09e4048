import type { LstmBridge } from '../../common/api';

declare global {
  interface Window {
    /** The preload's bridge (or the harness shim), as renderer/src/env.d.ts declares it. */
    readonly lstm?: LstmBridge;
  }
}

export {};
