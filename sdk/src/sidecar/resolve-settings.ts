/**
 * Resolves every setting once, in one order of precedence: the flag, then the environment
 * variable, then the config file, then the default. The first source that sets a value wins
 * whole: a list (`queues`, `checks`) from a flag replaces the variable's, it is not merged.
 */
import { loadConfigFile } from './config-file';
import type { ConfigFile, ReadText } from './config-file';
import {
  InvalidValue,
  oneLine,
  settingError,
  settingHint,
  shown,
  SidecarConfigError,
} from './errors';
import type { Origin } from './errors';
import type { CommandLine } from './parse-argv';
import { LARAVEL_PREFIX_TYPES, withLaravelPrefix } from './parse-queues';
import type { QueueSpec } from './parse-queues';
import { SETTING_LIST, SETTINGS } from './settings';
import type { Setting, SettingKey, SidecarSettings } from './settings';

/** The environment as the sidecar sees it. */
export type Env = Record<string, string | undefined>;

/** The resolved settings, and where each came from. */
export interface ResolvedSettings {
  values: SidecarSettings;
  origins: Partial<Record<SettingKey, Origin>>;
  /**
   * What was accepted but ignored or skipped (a queue entry the Go agent would ignore, …), one
   * line each, naming its source; the sidecar logs them once at start.
   */
  warnings: string[];
}

/** A raw value and its origin, before parsing. */
interface Found {
  raw: unknown;
  origin: Origin;
}

function fromFlagOrEnv(
  setting: Setting<unknown>,
  key: SettingKey,
  line: CommandLine,
  env: Env,
): Found | undefined {
  const flag = line.flags[key];
  if (flag !== undefined && setting.flag) {
    return { raw: flag, origin: { kind: 'flag', name: setting.flag } };
  }
  for (const name of setting.env ?? []) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') {
      return { raw: value, origin: { kind: 'env', name } };
    }
  }
  return undefined;
}

function find(
  setting: Setting<unknown>,
  key: SettingKey,
  line: CommandLine,
  env: Env,
  file: ConfigFile | undefined,
): Found | undefined {
  const found = fromFlagOrEnv(setting, key, line, env);
  if (found || !file || !setting.configKey) return found;
  const raw = file.get(setting.configKey);
  // JSON null reads as "not set", as an absent key does.
  if (raw === undefined || raw === null) return undefined;
  return { raw, origin: file.originOf(setting.configKey) };
}

function parsed(
  setting: Setting<unknown>,
  key: SettingKey,
  found: Found,
  warnings: string[],
): unknown {
  const warn = (message: string) => warnings.push(oneLine(`${found.origin.name}: ${message}`));
  try {
    return setting.parse(found.raw, found.origin, warn);
  } catch (error) {
    if (error instanceof InvalidValue) {
      throw settingError({ key, ...setting }, found.origin, error.message);
    }
    throw error;
  }
}

/**
 * Resolves the settings from the command line, the environment and the config file.
 * @throws SidecarConfigError naming the source of the bad value and the setting's names.
 */
export function resolveSettings(line: CommandLine, env: Env, read?: ReadText): ResolvedSettings {
  const warnings: string[] = [];
  const config = fromFlagOrEnv(SETTINGS.config, 'config', line, env);
  const path = config ? (parsed(SETTINGS.config, 'config', config, warnings) as string) : undefined;
  const file = path && config ? loadConfigFile(path, config.origin.name, read) : undefined;

  const values: Record<string, unknown> = {};
  const origins: Partial<Record<SettingKey, Origin>> = {};
  if (path && config) {
    values.config = path;
    origins.config = config.origin;
  }
  for (const setting of SETTING_LIST) {
    if (setting.key === 'config') continue;
    const found = find(setting, setting.key, line, env, file);
    if (found) {
      values[setting.key] = parsed(setting, setting.key, found, warnings);
      origins[setting.key] = found.origin;
    } else if (setting.default !== undefined) {
      values[setting.key] = setting.default;
      origins[setting.key] = { kind: 'default', name: setting.key };
    } else if (setting.required) {
      throw new SidecarConfigError(
        setting.key,
        oneLine(`${setting.key} is required ${settingHint(setting)}`),
      );
    }
  }
  applyLaravelPrefix(values, origins, warnings);
  // Every key with a default or `required` was set above, or the loop threw.
  return { values: values as SidecarSettings, origins, warnings };
}

/**
 * The one setting that refines another: Laravel's connection prefix goes into the queues of
 * `queues` written as shorthand, so that the agent and `quasar-agent acl` see the same keys.
 */
function applyLaravelPrefix(
  values: Record<string, unknown>,
  origins: Partial<Record<SettingKey, Origin>>,
  warnings: string[],
): void {
  const prefix = values.laravelPrefix as string | undefined;
  if (prefix === undefined) return;
  const { queues, applied } = withLaravelPrefix(values.queues as QueueSpec[], prefix);
  values.queues = queues;
  if (applied > 0) return;
  const where = origins.laravelPrefix?.name ?? 'laravelPrefix';
  warnings.push(
    oneLine(
      `${where}: ${shown(prefix)} applies to no queue: none of type ${LARAVEL_PREFIX_TYPES.join(' or ')} is written as name[:type[:prefix]] (config-file queue objects set their own redisPrefix)`,
    ),
  );
}
