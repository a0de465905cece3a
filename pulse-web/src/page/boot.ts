/**
 * Runs before the rest of the page: an entry of its own, whose script the page loads before
 * `main.js`, so it precedes even the chunks `main.js` shares with lazily loaded code.
 * - Sets `window.grafanaBootData` before `@grafana/runtime` loads: its `config` reads it once, at
 *   import.
 * - Turns zod's JIT off. `@grafana/data` validates with zod, which otherwise probes for `eval`
 *   with `new Function` on its first parse (at import of `@grafana/data`); the page's CSP forbids
 *   eval, and the probe shows as a CSP violation even though zod catches the error.
 */
import { config as zodConfig } from 'zod';
import { grafanaBootData, readPageBoot } from './bootData';

declare global {
  interface Window {
    grafanaBootData?: unknown;
  }
}

zodConfig({ jitless: true });
window.grafanaBootData = grafanaBootData(readPageBoot());
