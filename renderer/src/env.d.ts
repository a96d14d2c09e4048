/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { LstmBridge } from '../../common/api';

declare global {
  interface Window {
    /**
     * The preload's API (preload/index.ts), or the e2e harness's stand-in. Optional on purpose:
     * the page may be opened without it, and the UI then says so instead of crashing.
     */
    readonly lstm?: LstmBridge;
  }
}

export {};
