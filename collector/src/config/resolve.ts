/**
 * Builds the configuration: flag, then environment variable, then default. Every error names
 * the flag and variables it came from.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { principalsOf } from '../auth/principal';
import { TokenConfigError, checkTokens } from '../auth/check-tokens';
import { readApiTokensFile } from './api-tokens';
import { CollectorConfigError } from './errors';
import { checkLeaseTtl, defaultLeaseTtlMs } from './lease-ttl';
import { COLLECTOR_DEFAULTS } from './options';
import type { CollectorConfig } from './options';
import { InvalidValue, SETTINGS, settingName } from './settings';
import type { Setting } from './settings';

export type ResolveOutcome = { help: true } | { help: false; config: CollectorConfig };

type Env = Readonly<Record<string, string | undefined>>;

function rawValue(s: Setting, flags: Record<string, unknown>, env: Env): string | undefined {
  const flag = flags[s.flag];
  if (typeof flag === 'boolean') return String(flag);
  if (typeof flag === 'string') return flag;
  for (const name of s.env) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function defaults(): CollectorConfig {
  return {
    ...COLLECTOR_DEFAULTS,
    apiToken: undefined,
    apiTokens: [],
    apiTokensFile: undefined,
    readOnly: false,
    apiWriteToken: undefined,
    commandToken: undefined,
    commandPreviousTokens: undefined,
    allowUnsignedCommands: false,
    noAuth: false,
    once: false,
    skipSelfExporting: true,
    exportMetrics: true,
    exportLogs: true,
    consumerName: `${hostname()}-${process.pid}`,
    leaseTtlMs: defaultLeaseTtlMs(COLLECTOR_DEFAULTS.cycleIntervalMs),
  };
}

/** Adds the token file's tokens to `apiTokens`, then checks every token, legacy ones included. */
function resolveTokens(config: CollectorConfig): void {
  if (config.apiTokensFile !== undefined) {
    try {
      config.apiTokens = [...config.apiTokens, ...readApiTokensFile(config.apiTokensFile)];
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      throw new CollectorConfigError('--api-tokens-file / QUASAR_API_TOKENS_FILE', error.message);
    }
  }
  try {
    checkTokens(principalsOf(config));
  } catch (error) {
    if (!(error instanceof TokenConfigError)) throw error;
    throw new CollectorConfigError('--api-tokens / QUASAR_API_TOKENS', error.message);
  }
}

/** Parses `argv` (without node and script) and `env`; `--help` short-circuits. */
export function resolveConfig(argv: readonly string[], env: Env): ResolveOutcome {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const s of SETTINGS) options[s.flag] = { type: s.boolean ? 'boolean' : 'string' };
  let flags: Record<string, unknown>;
  try {
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CollectorConfigError('arguments', (error as Error).message);
  }
  if (flags.help === true) return { help: true };

  const config = defaults();
  const target = config as unknown as Record<string, unknown>;
  const set = new Set<keyof CollectorConfig>();
  for (const s of SETTINGS as readonly Setting[]) {
    const raw = rawValue(s, flags, env);
    if (raw === undefined) continue;
    set.add(s.key);
    try {
      target[s.key] = s.parse(raw);
    } catch (error) {
      if (error instanceof InvalidValue)
        throw new CollectorConfigError(settingName(s), error.message);
      throw error;
    }
  }
  resolveTokens(config);
  if (!config.apiToken && config.apiTokens.length === 0 && !config.noAuth && !config.once) {
    throw new CollectorConfigError(
      '--api-token / QUASAR_API_TOKEN',
      'is required to serve the Pulse API (or named tokens in --api-tokens); set it, or pass --no-auth explicitly for development',
    );
  }
  if (config.commandResultTimeoutMs < config.commandTtlMs) {
    throw new CollectorConfigError(
      '--command-result-timeout / QUASAR_COMMAND_RESULT_TIMEOUT',
      'must be at least --command-expiry: a command still allowed to run cannot read expired',
    );
  }
  if (!set.has('leaseTtlMs')) config.leaseTtlMs = defaultLeaseTtlMs(config.cycleIntervalMs);
  checkLeaseTtl(config, set.has('leaseTtlMs'));
  return { help: false, config };
}
