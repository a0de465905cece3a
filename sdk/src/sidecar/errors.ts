/**
 * The sidecar's configuration errors. Each one names where the bad value came from (a flag, a
 * variable or the config file) and every name of the setting, on one line, so an operator can
 * fix it from a journal or `docker logs` alone.
 */

/** Where a value came from. */
export interface Origin {
  kind: 'flag' | 'env' | 'config' | 'default';
  /** `--interval`, `QUASAR_INTERVAL`, or `"interval" in /etc/quasar-agent.json`. */
  name: string;
}

/** The names a setting answers to, for the hint at the end of every message. */
export interface SettingNames {
  key: string;
  flag?: string;
  env?: readonly string[];
  configKey?: string;
}

/** A value the sidecar cannot run with. The process exits with status 2. */
export class SidecarConfigError extends Error {
  override readonly name = 'SidecarConfigError';
  constructor(
    /** The setting's key in the settings table, e.g. `interval`; undefined for the command line itself. */
    readonly setting: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by value parsers with what was wrong; the resolver adds where it came from. */
export class InvalidValue extends Error {
  override readonly name = 'InvalidValue';
}

/** `expected …, got …`, the body of most parser messages. */
export function expected(what: string, got: unknown): InvalidValue {
  return new InvalidValue(`expected ${what}, got ${shown(got)}`);
}

/** A value as an error message may show it: JSON for strings, a type name for containers. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/** `(set by --interval, QUASAR_INTERVAL or "interval" in the config file)`. */
export function settingHint(s: SettingNames): string {
  const names = [
    ...(s.flag ? [s.flag] : []),
    ...(s.env ?? []),
    ...(s.configKey ? [`"${s.configKey}" in the config file`] : []),
  ];
  const list =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  return `(set by ${list ?? s.key})`;
}

/** One-line message for a bad value of `setting` that came from `origin`. */
export function settingError(s: SettingNames, origin: Origin, detail: string): SidecarConfigError {
  const where = origin.kind === 'default' ? `${s.key} (default)` : origin.name;
  return new SidecarConfigError(s.key, oneLine(`${where}: ${detail} ${settingHint(s)}`));
}

/** Messages go to a journal line by line: never let a value break one in two. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
