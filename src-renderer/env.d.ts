// The preload bridge is present only inside the desktop app; in a plain browser it is undefined.
import type { NocturnalBridge } from '../src-shared/api/bridge';

declare global {
  interface Window {
    nocturnal?: NocturnalBridge;
  }
}
