/**
 * Merges explicit options, the environment and the defaults (in that order of precedence),
 * and validates the result once. Every error names the option, and the variable it came from.
 */
import type { MeterProvider } from '@opentelemetry/api';
import type { RedisOptions } from 'ioredis';
import type { RedisClient } from '../redis/redis-client';
import { DEFAULTS, ENV } from './defaults';
import { QuasarConfigError } from './errors';
import {
  MAX_NODE_ID_LENGTH,
  MAX_SERVICE_LENGTH,
  PROTOTYPE_MEMBER_NAMES,
  isNodeId,
  isServiceName,
} from '../schema/names';
import { booleanOf, fail, hasMethods, isObject, pick, requireObject } from './read-option';
import type { Env } from './read-option';
import { isClusterClient } from '../redis/redis-client';
import { RedisUrlError, hasRedisScheme, parseRedisUrl } from '../redis/redis-url';
import { KEY_LAYOUTS } from '../schema/keys';
import type { KeyLayout } from '../schema/keys';
import { resolveSlowLog } from './slow-log';
import type { ResolvedSlowLog } from './slow-log';
import type {
  LegacyProbe,
  QuasarApplicationOptions,
  QuasarLogger,
  QuasarOptions,
  RedisConnectionConfig,
} from './types';

/** A connection ready to open: either the app's client or a URL plus ioredis options. */
export interface ResolvedConnection {
  client?: RedisClient;
  url: string;
  options: RedisOptions;
}

/** Every option with the environment and the defaults applied: what the agent runs on. */
export interface ResolvedOptions {
  service: string;
  name: string | undefined;
  intervalMs: number;
  transport: ResolvedConnection;
  monitor: ResolvedConnection | undefined;
  /** The layout of the keys this agent writes. */
  keyLayout: KeyLayout;
  probe: LegacyProbe | undefined;
  otel: {
    enabled: boolean;
    meterProvider: MeterProvider | undefined;
    exportOtlp: boolean;
    selfExport: boolean | undefined;
  };
  logger: QuasarLogger | undefined;
  hostRoot: string;
  slowLog: ResolvedSlowLog;
  application: QuasarApplicationOptions | undefined;
}

/** Room left in a node id for `-{pid}` after the name. */
const MAX_NAME_LENGTH = MAX_NODE_ID_LENGTH - 16;

function serviceOf(options: QuasarOptions, env: Env): string {
  const s = pick(options.service, env, [ENV.service]);
  if (s === undefined) {
    throw new QuasarConfigError(
      'service',
      `Missing option "service": pass it or set ${ENV.service}`,
    );
  }
  if (!isServiceName(s.value) || PROTOTYPE_MEMBER_NAMES.has(s.value)) {
    fail(
      'service',
      s.from,
      `a name of 1–${MAX_SERVICE_LENGTH} characters without spaces, ":", "{", "}", "*", "?", "[", "]" or "\\", and not a JavaScript Object.prototype member such as "constructor"`,
      s.value,
    );
  }
  return s.value;
}

function nameOf(options: QuasarOptions, env: Env): string | undefined {
  const s = pick(options.name, env, [ENV.name]);
  if (s === undefined) return undefined;
  if (!isNodeId(s.value) || s.value.length > MAX_NAME_LENGTH) {
    fail(
      'name',
      s.from,
      `a name of 1–${MAX_NAME_LENGTH} characters without spaces, "*", "?", "[", "]" or "\\"`,
      s.value,
    );
  }
  return s.value;
}

function intervalOf(options: QuasarOptions, env: Env): number {
  const min = DEFAULTS.minIntervalMs;
  if (options.interval !== undefined) {
    const ms = options.interval;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < min) {
      fail('interval', undefined, `a number of milliseconds ≥ ${min}`, ms);
    }
    return Math.round(ms);
  }
  const raw = env[ENV.intervalSeconds];
  if (raw === undefined || raw === '') return DEFAULTS.intervalMs;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds * 1000 < min) {
    fail('interval', ENV.intervalSeconds, `a number of seconds ≥ ${min / 1000}`, raw);
  }
  return Math.round(seconds * 1000);
}

const URL_FORMS = 'a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL';

/** The URL when it is one of the accepted forms; the error says why not, without the password. */
function checkUrl(option: string, from: string | undefined, url: unknown): string {
  if (typeof url !== 'string') fail(option, from, URL_FORMS, url);
  try {
    parseRedisUrl(url);
  } catch (error) {
    if (!(error instanceof RedisUrlError)) throw error;
    // Past the scheme, the parser's reason says what is wrong; it never quotes credentials.
    const why = hasRedisScheme(url) ? ` (${error.message})` : '';
    fail(option, from, `${URL_FORMS}${why}`, redact(url));
  }
  return url;
}

/** Never echo a password into an error message: everything before the last `@` goes. */
function redact(url: string): string {
  return url.replace(/\/\/.*@/, '//***@');
}

/** Whether the transport is a Redis Cluster: a cluster URL, or a `Cluster` client. */
function isClusterTransport(transport: ResolvedConnection): boolean {
  if (transport.client !== undefined) return isClusterClient(transport.client);
  return parseRedisUrl(transport.url).kind === 'cluster';
}

function keyLayoutOf(options: QuasarOptions, env: Env, transport: ResolvedConnection): KeyLayout {
  const s = pick<unknown>(options.keyLayout, env, [ENV.keyLayout]);
  if (s === undefined) return isClusterTransport(transport) ? 'v2' : 'v1';
  const layout = KEY_LAYOUTS.find((l) => l === s.value);
  if (layout === undefined) fail('keyLayout', s.from, "'v1' or 'v2'", s.value);
  return layout;
}

function connectionOf(
  option: 'transport' | 'monitor',
  config: RedisConnectionConfig | undefined,
  explicitUrl: string | undefined,
  env: Env,
  envNames: readonly string[],
  fallbackUrl: string | undefined,
): ResolvedConnection | undefined {
  if (config !== undefined) requireObject(option, config, 'an object { url | client | options }');
  if (
    config?.client !== undefined &&
    !hasMethods(config.client, ['set', 'pipeline', 'duplicate'])
  ) {
    fail(`${option}.client`, undefined, 'an ioredis Redis or Cluster client', typeof config.client);
  }
  if (config?.options !== undefined && !isObject(config.options)) {
    fail(`${option}.options`, undefined, 'an ioredis options object', config.options);
  }
  const s = pick(explicitUrl, env, envNames);
  const url = s ? checkUrl(`${option}.url`, s.from, s.value) : fallbackUrl;
  if (url === undefined && config?.client === undefined) return undefined;
  return {
    client: config?.client,
    url: url ?? '',
    options: config?.options ?? {},
  };
}

function applicationOf(app: unknown): QuasarApplicationOptions | undefined {
  if (app === undefined) return undefined;
  if (!isObject(app)) fail('application', undefined, 'an object { language, version, meta }', app);
  const { language, version, meta } = app as QuasarApplicationOptions;
  for (const [field, value] of [
    ['language', language],
    ['version', version],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      fail(`application.${field}`, undefined, 'a non-empty string', value);
    }
  }
  if (meta !== undefined && typeof meta !== 'function') {
    fail('application.meta', undefined, 'a function returning an object', typeof meta);
  }
  return { language, version, meta };
}

/** Resolves and validates options; throws `QuasarConfigError` naming the first bad option. */
export function resolveOptions(options: QuasarOptions | undefined, env: Env): ResolvedOptions {
  const o: QuasarOptions = options ?? {};
  requireObject('options', o, 'an object');
  const explicitTransportUrl = o.transport?.url ?? o.redisUrl;
  if (o.redisUrl !== undefined && o.transport?.url === undefined)
    checkUrl('redisUrl', undefined, o.redisUrl);
  const transport = connectionOf(
    'transport',
    o.transport,
    explicitTransportUrl,
    env,
    ENV.transportUrl,
    DEFAULTS.transportUrl,
  );
  const monitor = connectionOf(
    'monitor',
    o.monitor,
    o.monitor?.url,
    env,
    [ENV.monitorUrl],
    undefined,
  );

  if (o.probe !== undefined && !hasMethods(o.probe, ['getMetrics'])) {
    fail('probe', undefined, 'an object with getMetrics()', typeof o.probe);
  }
  if (o.logger !== undefined && !hasMethods(o.logger, ['debug', 'info', 'warn', 'error'])) {
    fail('logger', undefined, 'an object with debug/info/warn/error', typeof o.logger);
  }
  const otel = o.otel ?? {};
  requireObject('otel', otel, 'an object');
  if (otel.meterProvider !== undefined && !hasMethods(otel.meterProvider, ['getMeter'])) {
    fail('otel.meterProvider', undefined, 'a MeterProvider', typeof otel.meterProvider);
  }
  if (otel.selfExport !== undefined && typeof otel.selfExport !== 'boolean') {
    fail('otel.selfExport', undefined, 'true or false', otel.selfExport);
  }
  const root = pick(o.hostRoot, env, [ENV.hostRoot]);
  if (root && (typeof root.value !== 'string' || !root.value.startsWith('/'))) {
    fail('hostRoot', root.from, 'an absolute path', root.value);
  }

  return {
    service: serviceOf(o, env),
    name: nameOf(o, env),
    intervalMs: intervalOf(o, env),
    transport: transport as ResolvedConnection,
    monitor,
    keyLayout: keyLayoutOf(o, env, transport as ResolvedConnection),
    probe: o.probe,
    otel: {
      enabled: booleanOf('otel.enabled', otel.enabled, {}, '', DEFAULTS.otelEnabled),
      meterProvider: otel.meterProvider,
      exportOtlp: booleanOf(
        'otel.exportOtlp',
        otel.exportOtlp,
        env,
        ENV.exportOtlp,
        DEFAULTS.exportOtlp,
      ),
      selfExport: otel.selfExport,
    },
    logger: o.logger,
    hostRoot: root?.value ?? DEFAULTS.hostRoot,
    slowLog: resolveSlowLog(o.slowLog, env),
    application: applicationOf(o.application),
  };
}
