/**
 * The one table of the sidecar's settings: for each, its flag, environment variables, config
 * file key, default and parser. Resolution (`resolve-settings.ts`) and `--help` (`help.ts`) are
 * both generated from it, so a setting cannot be documented and parsed differently.
 */
import { DEFAULTS, ENV } from '../options/defaults';
import type { Origin } from './errors';
import { parseCheckArray, parseCheckJson } from './parse-checks';
import type { CheckSpec } from './parse-checks';
import {
  DEFAULT_QUEUE_TYPE,
  parseConfigQueues,
  parseQueueFlags,
  parseQueueList,
  SHORTHAND_TYPES,
} from './parse-queues';
import type { QueueSpec, Warn } from './parse-queues';
import {
  parseRemoteControlList,
  parseRemoteControlObject,
  previousTokens,
  redactKeys,
  token,
  userPrefix,
} from './parse-remote-control';
import type { RemoteControlQueues } from './parse-remote-control';
import * as v from './values';

/** One setting. Values from flags and variables are strings; the config file gives JSON. */
export interface Setting<T> {
  /** One sentence for `--help`. */
  description: string;
  flag?: `--${string}`;
  /** The value's placeholder in `--help`; absent for a switch. */
  arg?: string;
  /** The flag can be given several times; the parser then receives every value, in order. */
  repeatable?: boolean;
  /** `--flag` means true, `--no-flag` false; `--flag=false` also works. */
  switch?: boolean;
  /** Variables read in this order; the first non-empty one wins. */
  env?: readonly string[];
  /** Key in the config file; a dot descends into an object (`slowLog.jobThresholdMs`). */
  configKey?: string;
  /** The `QuasarOptions` path this setting feeds, to map the agent's errors back to it. */
  option?: string;
  default?: T;
  /** The default as `--help` shows it, when it is not the plain value. */
  defaultText?: string;
  required?: boolean;
  /**
   * @param warn takes a warning about a part of the value that is accepted but ignored.
   * @throws InvalidValue saying what was expected.
   */
  parse(raw: unknown, origin: Origin, warn: Warn): T;
}

const QUASAR_CONFIG = 'QUASAR_CONFIG';

/** Every setting, in `--help` order. */
export const SETTINGS = {
  config: {
    description: 'JSON config file with any of the settings below, by their config key.',
    flag: '--config',
    arg: '<path>',
    env: [QUASAR_CONFIG],
    defaultText: 'none',
    parse: v.label,
  },
  service: {
    description: 'Service (group) name of the application this sidecar reports for.',
    flag: '--service',
    arg: '<name>',
    env: [ENV.service],
    configKey: 'service',
    option: 'service',
    required: true,
    parse: v.serviceName,
  },
  name: {
    description: 'Node name, the first part of the node id {name}-{pid}.',
    flag: '--name',
    arg: '<name>',
    env: [ENV.name],
    configKey: 'name',
    option: 'name',
    defaultText: 'the hostname',
    parse: v.nodeName,
  },
  transport: {
    description:
      'The Quasar Redis, shared with the collector, where heartbeats go: redis://, rediss://, or redis+cluster://host:port[,host:port…] (rediss+cluster://) for a Redis Cluster.',
    flag: '--transport',
    arg: '<url>',
    env: ENV.transportUrl,
    configKey: 'transport',
    option: 'transport',
    default: DEFAULTS.transportUrl,
    parse: v.redisUrl,
  },
  keyLayout: {
    description:
      'How heartbeats, queue hash and slow log are keyed in the transport Redis: v1 (the original layout) or v2 (one hash slot per service, for a Redis Cluster).',
    flag: '--key-layout',
    arg: '<v1|v2>',
    env: [ENV.keyLayout],
    configKey: 'keyLayout',
    option: 'keyLayout',
    defaultText: 'v2 on a redis+cluster:// transport, else v1',
    parse: v.keyLayout,
  },
  monitor: {
    description: "The application's own Redis, where its queues live.",
    flag: '--monitor',
    arg: '<url>',
    env: [ENV.monitorUrl],
    configKey: 'monitor',
    option: 'monitor',
    defaultText: 'the transport Redis',
    parse: v.redisUrl,
  },
  interval: {
    description: 'Seconds between heartbeats (fractions allowed).',
    flag: '--interval',
    arg: '<seconds>',
    env: [ENV.intervalSeconds],
    configKey: 'interval',
    option: 'interval',
    default: DEFAULTS.intervalMs / 1000,
    parse: v.intervalSeconds,
  },
  queues: {
    description: `Queues to monitor, as name[:type[:prefix]], meaning what it means to the Go agent (type: ${SHORTHAND_TYPES.join(', ')}; default ${DEFAULT_QUEUE_TYPE}). For laravel and horizon the prefix replaces "queues" in the keys (default:laravel:laravel_database_queues reads laravel_database_queues:default); for bullmq, bull and stream it is their key prefix; redis ignores it. An entry the Go agent would ignore is skipped with a warning. The flag repeats; the variable is comma-separated; the config file also takes { "name", "type", "options" } objects, and is the only way to give sqs queues.`,
    flag: '--queue',
    arg: '<name[:type[:prefix]]>',
    repeatable: true,
    env: ['QUASAR_QUEUES'],
    configKey: 'queues',
    default: [] as QueueSpec[],
    defaultText: 'none',
    parse: (raw: unknown, origin: Origin, warn: Warn): QueueSpec[] =>
      origin.kind === 'flag'
        ? parseQueueFlags(raw as string[], warn)
        : origin.kind === 'env'
          ? parseQueueList(raw as string, warn)
          : parseConfigQueues(raw, warn),
  },
  laravelPrefix: {
    description:
      "Laravel's Redis connection prefix (config('database.redis.options.prefix'), e.g. laravel_database_), put before the keys of every laravel and horizon queue given as name[:type[:prefix]]. Queue objects of the config file set their own redisPrefix.",
    flag: '--laravel-prefix',
    arg: '<prefix>',
    env: ['QUASAR_LARAVEL_PREFIX'],
    configKey: 'laravelPrefix',
    defaultText: 'none',
    parse: v.label,
  },
  checks: {
    description:
      'Availability checks, a JSON array of { "name", "type": "http", "url", … } or { "name", "type": "tcp", "host", "port", … }.',
    env: ['QUASAR_CHECKS'],
    configKey: 'checks',
    default: [] as CheckSpec[],
    defaultText: 'none',
    parse: (raw: unknown, origin: Origin): CheckSpec[] =>
      origin.kind === 'env' ? parseCheckJson(raw as string) : parseCheckArray(raw),
  },
  language: {
    description: "The application's language, reported as the node's runtime (php, go, python…).",
    flag: '--language',
    arg: '<name>',
    env: ['QUASAR_LANGUAGE'],
    configKey: 'language',
    option: 'application.language',
    defaultText: "node (the sidecar's own)",
    parse: v.label,
  },
  languageVersion: {
    description: "The application's language version (e.g. 8.3).",
    flag: '--language-version',
    arg: '<version>',
    env: ['QUASAR_LANGUAGE_VERSION'],
    configKey: 'languageVersion',
    option: 'application.version',
    defaultText: "the sidecar's own Node.js version",
    parse: v.label,
  },
  laravelWorkers: {
    description:
      'Report the Laravel queue workers (php … artisan queue:work, queue:listen, horizon:work) found in /proc, as meta.laravel.',
    flag: '--laravel-workers',
    switch: true,
    env: ['QUASAR_LARAVEL_WORKERS'],
    configKey: 'laravelWorkers',
    default: process.platform === 'linux',
    defaultText: 'true on Linux',
    parse: v.boolean,
  },
  hostRoot: {
    description:
      "Root under which /proc and /sys are read, e.g. /host when the host's / is mounted there.",
    flag: '--host-root',
    arg: '<path>',
    env: [ENV.hostRoot],
    configKey: 'hostRoot',
    option: 'hostRoot',
    default: DEFAULTS.hostRoot,
    parse: v.absolutePath,
  },
  otlpExport: {
    description:
      "Export this node's metrics over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the standard OTEL_* variables apply).",
    flag: '--otlp-export',
    switch: true,
    env: [ENV.exportOtlp],
    configKey: 'otel.exportOtlp',
    option: 'otel.exportOtlp',
    default: DEFAULTS.exportOtlp,
    parse: v.boolean,
  },
  slowLogEnabled: {
    description: 'Write slow requests and jobs to the slow log.',
    env: [ENV.slowLogEnabled],
    configKey: 'slowLog.enabled',
    option: 'slowLog.enabled',
    default: DEFAULTS.slowLog.enabled,
    parse: v.boolean,
  },
  slowRequestMs: {
    description: 'A request is slow from this many milliseconds on.',
    env: [ENV.slowRequestMs],
    configKey: 'slowLog.requestThresholdMs',
    option: 'slowLog.requestThresholdMs',
    default: DEFAULTS.slowLog.requestThresholdMs,
    parse: v.milliseconds,
  },
  slowJobMs: {
    description: 'A job is slow from this many milliseconds on.',
    env: [ENV.slowJobMs],
    configKey: 'slowLog.jobThresholdMs',
    option: 'slowLog.jobThresholdMs',
    default: DEFAULTS.slowLog.jobThresholdMs,
    parse: v.milliseconds,
  },
  slowLogMaxLen: {
    description: 'Approximate length cap of the slow-log stream.',
    env: [ENV.slowLogMaxLen],
    configKey: 'slowLog.maxLen',
    option: 'slowLog.maxLen',
    default: DEFAULTS.slowLog.maxLen,
    parse: v.positiveInteger,
  },
  remoteControl: {
    description:
      'Turn on remote control: the verbs (retry, delete) operators may run on each monitored queue, as queue:verb[+verb], e.g. emails:retry+delete,default:retry. The flag repeats; the config file takes { "emails": ["retry", "delete"] }. Off when unset.',
    flag: '--remote-control',
    arg: '<queue:verb[+verb]>',
    repeatable: true,
    env: ['QUASAR_REMOTE_CONTROL'],
    configKey: 'remoteControl.queues',
    defaultText: 'off',
    parse: (raw: unknown, origin: Origin): RemoteControlQueues =>
      origin.kind === 'config'
        ? parseRemoteControlObject(raw)
        : parseRemoteControlList(raw as string | string[]),
  },
  token: {
    description:
      'The secret shared with the collector that every command must be signed with (HMAC-SHA256). Only from the environment, and never printed.',
    env: ['QUASAR_TOKEN'],
    defaultText: 'none: commands are rejected as unsigned',
    parse: token,
  },
  previousTokens: {
    description:
      'During a rotation of QUASAR_TOKEN, the previous token(s), comma-separated: commands signed with them are still accepted, so none fails while the collector switches. Requires QUASAR_TOKEN. Only from the environment, and never printed.',
    env: ['QUASAR_TOKEN_PREVIOUS'],
    defaultText: 'none: only QUASAR_TOKEN is accepted',
    parse: previousTokens,
  },
  allowUnsigned: {
    description:
      'Without QUASAR_TOKEN, execute unsigned commands anyway: anyone who can PUBLISH on the transport Redis can then retry or delete jobs.',
    flag: '--allow-unsigned-commands',
    switch: true,
    env: ['QUASAR_ALLOW_UNSIGNED_COMMANDS'],
    configKey: 'remoteControl.allowUnsigned',
    default: false,
    parse: v.boolean,
  },
  maxJobsPerCommand: {
    description: 'The most jobs one all-failed command may retry or delete.',
    env: ['QUASAR_MAX_JOBS_PER_COMMAND'],
    configKey: 'remoteControl.maxJobsPerCommand',
    default: 1000,
    parse: v.positiveInteger,
  },
  redactKeys: {
    description:
      'Key patterns whose values INSPECT_JOB redacts, comma-separated, added to the built-in ones (password, token, secret, authorization, cookie, card, …): a key matches when it contains one, compared lower-case without -, _ and spaces.',
    flag: '--redact-keys',
    arg: '<key,key>',
    env: ['QUASAR_REDACT_KEYS'],
    configKey: 'remoteControl.redactKeys',
    defaultText: 'the built-in patterns only',
    parse: redactKeys,
  },
  maxScanPerCommand: {
    description:
      'The most failed jobs one all-failed command reads, newest first, to select a failure group or preview a dry run.',
    env: ['QUASAR_MAX_SCAN_PER_COMMAND'],
    configKey: 'remoteControl.maxScanPerCommand',
    default: 10_000,
    parse: v.positiveInteger,
  },
  jobsPerBatch: {
    description: 'Jobs one all-failed command moves between two pauses.',
    env: ['QUASAR_JOBS_PER_BATCH'],
    configKey: 'remoteControl.jobsPerBatch',
    default: 100,
    parse: v.positiveInteger,
  },
  batchPauseMs: {
    description: 'The pause between two batches of an all-failed command, ms (0 to 60000).',
    env: ['QUASAR_BATCH_PAUSE_MS'],
    configKey: 'remoteControl.batchPauseMs',
    default: 250,
    parse: v.batchPause,
  },
  userPrefix: {
    description: 'quasar-agent acl only: the prefix of the ACL user names it prints.',
    flag: '--user-prefix',
    arg: '<prefix>',
    default: 'quasar-',
    parse: userPrefix,
  },
  logLevel: {
    description: 'Least severe log line written to stderr: error, warn, info or debug.',
    flag: '--log-level',
    arg: '<level>',
    env: ['QUASAR_LOG_LEVEL'],
    configKey: 'logLevel',
    default: 'info',
    parse: v.logLevel,
  },
} as const satisfies Record<string, Setting<unknown>>;

/** A setting's key in `SETTINGS`. */
export type SettingKey = keyof typeof SETTINGS;

type Table = typeof SETTINGS;
type Parsed = { -readonly [K in SettingKey]: ReturnType<Table[K]['parse']> };
/** Settings that always have a value: required ones, and those with a default. */
type Always = {
  [K in SettingKey]: Table[K] extends { default: unknown } | { required: true } ? K : never;
}[SettingKey];

/** Every setting, resolved. Those without a default may be absent. */
export type SidecarSettings = Pick<Parsed, Always> & Partial<Omit<Parsed, Always>>;

/** The settings as a list, for code that walks the table. */
export const SETTING_LIST = Object.entries(SETTINGS).map(([key, s]) => ({
  key: key as SettingKey,
  ...(s as Setting<unknown>),
}));
