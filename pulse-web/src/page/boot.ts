/**
 * Sets `window.grafanaBootData` before `@grafana/runtime` loads: its `config` reads it once, at
 * import. `main.tsx` imports this module first.
 */
import { grafanaBootData, readPageBoot } from './bootData';

declare global {
  interface Window {
    grafanaBootData?: unknown;
  }
}

window.grafanaBootData = grafanaBootData(readPageBoot());
