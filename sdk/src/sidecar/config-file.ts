/**
 * The JSON config file (`--config` / `QUASAR_CONFIG`). It can express every setting, including
 * what a flag or a variable cannot: per-queue options objects, sqs queues and checks. Keys are
 * the settings' config keys; a dotted key is a nested object (`"slowLog": { "maxLen": 500 }`).
 */
import { readFileSync } from 'node:fs';
import { SidecarConfigError } from './errors';
import type { Origin } from './errors';
import { SETTING_LIST } from './settings';

/** A parsed config file. */
export interface ConfigFile {
  path: string;
  /** The value at a config key, or undefined when the file does not set it. */
  get(configKey: string): unknown;
  /** Where a value at this key came from, for error messages. */
  originOf(configKey: string): Origin;
}

/** Reads a file as text; injectable so tests need not touch the disk. */
export type ReadText = (path: string) => string;

const CONFIG_KEYS = SETTING_LIST.flatMap((s) => (s.configKey ? [s.configKey] : []));
/** Objects that hold dotted keys, e.g. `slowLog` for `slowLog.maxLen`. */
const SECTIONS = new Set(
  CONFIG_KEYS.flatMap((k) =>
    k
      .split('.')
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('.')),
  ),
);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fileError(path: string, from: string, detail: string): SidecarConfigError {
  return new SidecarConfigError('config', `config file ${path} (from ${from}): ${detail}`);
}

/** The keys allowed directly under `at` ('' for the top level). */
function keysUnder(at: string): string[] {
  const prefix = at ? `${at}.` : '';
  const keys = CONFIG_KEYS.filter((k) => k.startsWith(prefix));
  return [...new Set(keys.map((k) => k.slice(prefix.length).split('.')[0] as string))];
}

/** Rejects keys no setting reads, so a typo is an error rather than a silent default. */
function checkKeys(object: Record<string, unknown>, path: string, from: string, at = ''): void {
  for (const [key, value] of Object.entries(object)) {
    const full = at ? `${at}.${key}` : key;
    if (CONFIG_KEYS.includes(full)) continue;
    if (SECTIONS.has(full)) {
      if (!isPlainObject(value)) throw fileError(path, from, `"${full}" must be an object`);
      checkKeys(value, path, from, full);
      continue;
    }
    const expected = keysUnder(at).join(', ');
    throw fileError(path, from, `unknown key "${full}"; expected one of ${expected}`);
  }
}

/**
 * Reads and checks the config file.
 * @param from the flag or variable that named it, for error messages.
 * @throws SidecarConfigError when it cannot be read, is not a JSON object, or has an unknown key.
 */
export function loadConfigFile(path: string, from: string, read: ReadText = readUtf8): ConfigFile {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fileError(path, from, `cannot be read (${code ?? String(error)})`);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw fileError(
      path,
      from,
      `is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isPlainObject(root)) throw fileError(path, from, 'expected a JSON object at the top');
  checkKeys(root, path, from);
  return {
    path,
    get(configKey) {
      let value: unknown = root;
      for (const part of configKey.split('.')) {
        value = isPlainObject(value) ? value[part] : undefined;
      }
      return value;
    },
    originOf: (configKey) => ({ kind: 'config', name: `"${configKey}" in ${path}` }),
  };
}

function readUtf8(path: string): string {
  return readFileSync(path, 'utf8');
}
