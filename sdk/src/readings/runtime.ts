/** Which JavaScript runtime hosts the SDK. Globals are injectable so tests can fake Bun and Deno. */

/** Language and version as the heartbeat reports them, and the OTel runtime name. */
export interface RuntimeInfo {
  /** Heartbeat `language`: `node`, `bun` or `deno`. */
  language: 'node' | 'bun' | 'deno';
  /** Heartbeat `version`, e.g. `v20.10.0`, `1.1.38`, `2.0.0`. */
  version: string | undefined;
  /** OTel `process.runtime.name`. */
  otelName: 'nodejs' | 'bun' | 'deno';
}

type Globals = Record<string, unknown>;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Globals)[key] : undefined;
}

/** Detects Bun (`Bun.version`), Deno (`Deno.version.deno`) or else Node (`process.version`). */
export function detectRuntime(globals: Globals = globalThis): RuntimeInfo {
  const bun = field(globals.Bun, 'version');
  if (typeof bun === 'string') return { language: 'bun', version: bun, otelName: 'bun' };
  const deno = field(field(globals.Deno, 'version'), 'deno');
  if (typeof deno === 'string') return { language: 'deno', version: deno, otelName: 'deno' };
  const node = field(globals.process, 'version');
  return {
    language: 'node',
    version: typeof node === 'string' ? node : undefined,
    otelName: 'nodejs',
  };
}
