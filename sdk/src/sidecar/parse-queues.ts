/**
 * Queues to monitor. On the command line and in `QUASAR_QUEUES` a queue is written
 * `name[:type[:prefix]]`, the Go agent's syntax, meaning what it means there: `type` defaults
 * to `laravel`, and what `prefix` sets is the type's driver's `shorthand`. In the config file a
 * queue is either that string or `{ "name", "type", "options" }`, which can express every
 * option of `QuasarAgent.monitorQueue()`.
 *
 * Whatever the Go agent accepts, the sidecar accepts too: a segment or an entry the Go agent
 * ignores is skipped with a warning instead of stopping the start. Config-file objects are this
 * sidecar's own format and stay strict.
 */
import { QUEUE_DRIVERS, driverOf } from '../queues/drivers/table';
import { QUEUE_TYPES } from '../queues/registry';
import { expected, InvalidValue, shown } from './errors';

/** One `monitorQueue(name, type, options)` call. */
export interface QueueSpec {
  name: string;
  type: string;
  options: Record<string, unknown>;
  /** How it was written: `name[:type[:prefix]]`, or a config-file object. */
  form: 'shorthand' | 'object';
}

/** Receives one warning about a value that was accepted but partly ignored. */
export type Warn = (message: string) => void;

/** The type of a queue written without one, as in the Go agent. */
export const DEFAULT_QUEUE_TYPE = 'laravel';

/** The types a queue can be written as `name[:type[:prefix]]` with, from the driver table. */
export const SHORTHAND_TYPES: readonly string[] = QUEUE_DRIVERS.filter(
  (d) => d.shorthand.unavailable === undefined,
).map((d) => d.type);

/** The types a Laravel connection prefix applies to, from the driver table. */
export const LARAVEL_PREFIX_TYPES: readonly string[] = QUEUE_DRIVERS.filter(
  (d) => d.shorthand.laravelPrefixOption !== undefined,
).map((d) => d.type);

/** Laravel's default connection prefixes end so (`laravel_database_`, `laravel-database-`). */
const CONNECTION_PREFIX_END = /[_-]$/;

/** A warning when a Laravel key base looks like the connection prefix of the old meaning. */
function connectionPrefixWarning(name: string, type: string, prefix: string): string {
  return (
    `queue "${name}": the prefix ${shown(prefix)} replaces "queues" in the queue's keys, as in ` +
    `quasar-go, so it reads ${prefix}:${name}; if it is Laravel's connection prefix, write ` +
    `${name}:${type}:${prefix}queues or set it as the Laravel prefix (--laravel-prefix, ` +
    `QUASAR_LARAVEL_PREFIX)`
  );
}

/**
 * Parses one `name[:type[:prefix]]`; undefined when the entry is skipped, with a warning. The
 * prefix is everything after the second colon, so prefixes that contain colons (`queue:`,
 * `myapp_horizon:`) need no escaping.
 */
export function parseQueueSpec(spec: string, warn: Warn): QueueSpec | undefined {
  const [rawName = '', rawType, ...rest] = spec.split(':');
  const name = rawName.trim();
  const type = (rawType ?? '').trim() || DEFAULT_QUEUE_TYPE;
  const prefix = rest.length > 0 ? rest.join(':').trim() : '';
  if (name === '') {
    warn(`entry ${shown(spec.trim())} has no queue name; skipped`);
    return undefined;
  }
  const shorthand = driverOf(type)?.shorthand;
  if (!shorthand) {
    warn(
      `queue "${name}" has unknown type ${shown(type)} (known: ${QUEUE_TYPES.join(', ')}); ` +
        'skipped, as quasar-go skips it',
    );
    return undefined;
  }
  if (shorthand.unavailable !== undefined) {
    warn(`queue "${name}" skipped: ${shorthand.unavailable}`);
    return undefined;
  }
  const queue: QueueSpec = { name, type, options: {}, form: 'shorthand' };
  if (prefix === '') return queue;
  if (shorthand.prefixOption === null) {
    warn(
      `queue "${name}": type ${type} takes no prefix (its name is the key); ${shown(prefix)} ` +
        'is ignored, as quasar-go ignores it',
    );
    return queue;
  }
  if (shorthand.laravelPrefixOption !== undefined && CONNECTION_PREFIX_END.test(prefix)) {
    warn(connectionPrefixWarning(name, type, prefix));
  }
  return { ...queue, options: { [shorthand.prefixOption]: prefix } };
}

/** The specs that parsed, in order. */
function parsedSpecs(specs: readonly string[], warn: Warn): QueueSpec[] {
  return specs.flatMap((spec) => parseQueueSpec(spec, warn) ?? []);
}

/** Parses `QUASAR_QUEUES`: comma-separated specs; blank entries and spaces are ignored. */
export function parseQueueList(list: string, warn: Warn): QueueSpec[] {
  const specs = list.split(',').filter((s) => s.trim() !== '');
  return unique(parsedSpecs(specs, warn), warn);
}

/** Parses repeated `--queue` flags. */
export function parseQueueFlags(specs: readonly string[], warn: Warn): QueueSpec[] {
  return unique(parsedSpecs(specs, warn), warn);
}

const CONFIG_QUEUE_KEYS = ['name', 'type', 'options'];

function configQueue(entry: unknown, index: number, warn: Warn): QueueSpec | undefined {
  if (typeof entry === 'string') return parseQueueSpec(entry, warn);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new InvalidValue(`queues[${index}]: expected a string or an object, got ${shown(entry)}`);
  }
  const o = entry as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !CONFIG_QUEUE_KEYS.includes(k));
  if (unknown !== undefined) {
    throw new InvalidValue(
      `queues[${index}]: unknown key "${unknown}"; expected ${CONFIG_QUEUE_KEYS.join(', ')} (queue options go in "options")`,
    );
  }
  if (typeof o.name !== 'string' || o.name.trim() === '') {
    throw new InvalidValue(`queues[${index}].name: ${expected('a queue name', o.name).message}`);
  }
  if (o.type !== undefined && (typeof o.type !== 'string' || o.type.trim() === '')) {
    throw new InvalidValue(`queues[${index}].type: ${expected('a queue type', o.type).message}`);
  }
  const options = o.options ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidValue(`queues[${index}].options: ${expected('an object', options).message}`);
  }
  return {
    name: o.name.trim(),
    type: typeof o.type === 'string' ? o.type.trim() : DEFAULT_QUEUE_TYPE,
    options: { ...(options as Record<string, unknown>) },
    form: 'object',
  };
}

/**
 * Parses the config file's `queues`: an array of `name[:type[:prefix]]` strings or
 * `{ name, type?, options? }` objects. Object options are checked by `monitorQueue()` itself.
 */
export function parseConfigQueues(raw: unknown, warn: Warn): QueueSpec[] {
  if (!Array.isArray(raw)) throw expected('an array of queues', raw);
  return unique(
    raw.flatMap((entry, index) => configQueue(entry, index, warn) ?? []),
    warn,
  );
}

/**
 * Each queue is one field of the service's queue hash, so a name is monitored once: the first
 * entry of a name wins and a later one is skipped, with a warning.
 */
function unique(queues: QueueSpec[], warn: Warn): QueueSpec[] {
  const seen = new Set<string>();
  return queues.filter((q) => {
    if (seen.has(q.name)) {
      warn(`queue "${q.name}" is listed twice; the later entry is skipped`);
      return false;
    }
    seen.add(q.name);
    return true;
  });
}

/**
 * Sets Laravel's connection prefix on every queue written as a shorthand whose type takes one
 * (`laravel`, `horizon`); config-file objects keep their own options.
 * @returns the queues, and how many of them took the prefix.
 */
export function withLaravelPrefix(
  queues: readonly QueueSpec[],
  prefix: string,
): { queues: QueueSpec[]; applied: number } {
  let applied = 0;
  const result = queues.map((q) => {
    const option = driverOf(q.type)?.shorthand.laravelPrefixOption;
    if (q.form !== 'shorthand' || option === undefined) return q;
    applied += 1;
    return { ...q, options: { ...q.options, [option]: prefix } };
  });
  return { queues: result, applied };
}
