/**
 * Queues to monitor. On the command line and in `QUASAR_QUEUES` a queue is written
 * `name[:type[:prefix]]` (the Go agent's syntax; `type` defaults to `laravel`); in the config
 * file it is either that string or `{ "name", "type", "options" }`, which can express every
 * option of `QuasarAgent.monitorQueue()`.
 */
import { driverOf } from '../queues/drivers/table';
import { QUEUE_TYPES } from '../queues/registry';
import { expected, InvalidValue, shown } from './errors';

/** One `monitorQueue(name, type, options)` call. */
export interface QueueSpec {
  name: string;
  type: string;
  options: Record<string, unknown>;
}

/** The type of a queue written without one, as in the Go agent. */
export const DEFAULT_QUEUE_TYPE = 'laravel';

/**
 * Parses one `name[:type[:prefix]]`. The prefix is everything after the second colon, so
 * prefixes that contain colons (`queue:`, `myapp_horizon:`) need no escaping; what it sets is
 * the type's driver's `shorthand`.
 */
export function parseQueueSpec(spec: string): QueueSpec {
  const [rawName = '', rawType, ...rest] = spec.split(':');
  const name = rawName.trim();
  const type = (rawType ?? '').trim() || DEFAULT_QUEUE_TYPE;
  const prefix = rest.length > 0 ? rest.join(':').trim() : '';
  if (name === '') throw expected('name[:type[:prefix]] with a queue name', spec);
  const shorthand = driverOf(type)?.shorthand;
  if (!shorthand) {
    throw new InvalidValue(
      `queue "${name}" has unknown type ${shown(type)}; expected one of ${QUEUE_TYPES.join(', ')}`,
    );
  }
  if (shorthand.unavailable !== undefined) {
    throw new InvalidValue(`queue "${name}": ${shorthand.unavailable}`);
  }
  const option = shorthand.prefixOption;
  if (prefix === '') return { name, type, options: {} };
  if (option === null) {
    throw new InvalidValue(
      `queue "${name}": type ${type} takes no prefix (its name is the Redis key)`,
    );
  }
  return { name, type, options: { [option]: prefix } };
}

/** Parses `QUASAR_QUEUES`: comma-separated specs; blank entries are ignored. */
export function parseQueueList(list: string): QueueSpec[] {
  return unique(
    list
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(parseQueueSpec),
  );
}

/** Parses repeated `--queue` flags. */
export function parseQueueFlags(specs: readonly string[]): QueueSpec[] {
  return unique(specs.map(parseQueueSpec));
}

const CONFIG_QUEUE_KEYS = ['name', 'type', 'options'];

function configQueue(entry: unknown, index: number): QueueSpec {
  if (typeof entry === 'string') return parseQueueSpec(entry);
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
  };
}

/**
 * Parses the config file's `queues`: an array of `name[:type[:prefix]]` strings or
 * `{ name, type?, options? }` objects. Object options are checked by `monitorQueue()` itself.
 */
export function parseConfigQueues(raw: unknown): QueueSpec[] {
  if (!Array.isArray(raw)) throw expected('an array of queues', raw);
  return unique(raw.map(configQueue));
}

/** Each queue is one field of the service's queue hash, so a name can only be listed once. */
function unique(queues: QueueSpec[]): QueueSpec[] {
  const seen = new Set<string>();
  for (const q of queues) {
    if (seen.has(q.name)) throw new InvalidValue(`queue "${q.name}" is listed twice`);
    seen.add(q.name);
  }
  return queues;
}
