/**
 * The tables and source files the reference is rendered from, gathered in one object so a test
 * can swap one of them and watch the output follow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTOR_DEFAULTS } from '../../collector/src/config/options';
import { SETTINGS as COLLECTOR_SETTINGS } from '../../collector/src/config/settings';
import type { Setting as CollectorSetting } from '../../collector/src/config/settings';
import { ENV } from '../../sdk/src/options/defaults';
import { PROBE_TYPES } from '../../sdk/src/queues/registry';
import type { ProbeType } from '../../sdk/src/queues/types';
import { SETTING_LIST } from '../../sdk/src/sidecar/settings';
import type { Setting as SidecarSetting } from '../../sdk/src/sidecar/settings';

/** The repository root, which every source path is relative to. */
export const ROOT = join(__dirname, '..', '..');

/** The option each SDK environment variable sets. Keyed by `ENV`, so a new variable must be added. */
export const ENV_OPTION: Record<keyof typeof ENV, string> = {
  service: 'service',
  name: 'name',
  transportUrl: 'transport.url',
  monitorUrl: 'monitor.url',
  keyLayout: 'keyLayout',
  intervalSeconds: 'interval (in seconds)',
  hostRoot: 'hostRoot',
  exportOtlp: 'otel.exportOtlp',
  slowLogEnabled: 'slowLog.enabled',
  slowRequestMs: 'slowLog.requestThresholdMs',
  slowJobMs: 'slowLog.jobThresholdMs',
  slowLogMaxLen: 'slowLog.maxLen',
};

/** Everything the reference is rendered from; tests swap one table to see the output follow. */
export interface ReferenceSources {
  sdkEnv: Readonly<Record<string, string | readonly string[]>>;
  sidecarSettings: readonly (SidecarSetting<unknown> & { key: string })[];
  collectorSettings: readonly CollectorSetting[];
  collectorDefaults: Readonly<Partial<Record<string, string | number | boolean>>>;
  probeTypes: ReadonlyMap<string, ProbeType>;
  /** `path/to/file.ts` → its text, for the TSDoc read from it. */
  readSource(path: string): string;
}

/** The sources as the code defines them. */
export function codeSources(): ReferenceSources {
  return {
    sdkEnv: ENV,
    sidecarSettings: SETTING_LIST,
    collectorSettings: COLLECTOR_SETTINGS,
    collectorDefaults: COLLECTOR_DEFAULTS,
    probeTypes: PROBE_TYPES,
    readSource: (path) => readFileSync(join(ROOT, path), 'utf8'),
  };
}
