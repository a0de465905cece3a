/**
 * The JSON-schema pieces every route's querystring and params are checked with. Each value is
 * bounded, so no query can reach Redis as something it refuses (a 500): a number in exponent
 * form, a cursor that is not a stream id, a repeated parameter (an array), an unknown name.
 */
import type { FastifyServerOptions } from 'fastify';
import { MAX_NAME_LENGTH } from '@gravito/quasar/schema';
import { MAX_FIELD_LENGTH } from '../commands/build-command';

/** Latest instant a `Date` can hold, epoch ms: any later `since` is a mistake, not a filter. */
export const EPOCH_MS_MAX = 8_640_000_000_000_000;

/**
 * A stream id as Redis returns it, `ms-seq`, without leading zeros. Fifteen and nineteen digits
 * keep both parts inside Redis's unsigned 64 bits, so a valid cursor is never refused by Redis.
 */
export const STREAM_ID_PATTERN = '^(0|[1-9][0-9]{0,14})-(0|[1-9][0-9]{0,18})$';

/** The querystring of a route that takes none: any parameter is a 400. */
export const NO_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;

/** A service name as the API accepts it: the command body's bound, and no control characters. */
export const SERVICE_NAME = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_FIELD_LENGTH,
  pattern: '^\\P{Cc}+$',
} as const;

/** An Ajv plugin, as fastify's `ajv.plugins` takes it. */
type AjvPlugin = Extract<
  NonNullable<NonNullable<FastifyServerOptions['ajv']>['plugins']>[number],
  (...args: never[]) => unknown
>;

/**
 * The Ajv plugin adding `finite: true`. Ajv coerces the text `Infinity` to a number that passes
 * `type: 'integer'` and skips `minimum`/`maximum` (they only look at finite numbers), so a
 * query such as `?limit=Infinity` would otherwise reach Redis.
 */
export const finiteKeyword: AjvPlugin = (ajv) =>
  ajv.addKeyword({
    keyword: 'finite',
    schemaType: 'boolean',
    errors: false,
    error: { message: 'must be a finite number' },
    validate: (required: boolean, data: unknown) =>
      !required || typeof data !== 'number' || Number.isFinite(data),
  });

/** A whole number from `min` to `max`, given in decimal. */
export function integerSchema(min: number, max: number) {
  return { type: 'integer', minimum: min, maximum: max, finite: true } as const;
}

/** A page size from 1 to `max`. */
export function limitSchema(max: number) {
  return integerSchema(1, max);
}

/** A node status as the Pulse filters take it. */
const NODE_STATUS = { type: 'string', enum: ['online', 'stale', 'offline'] } as const;

/** Most `service` values one Pulse query may repeat. */
export const PULSE_MAX_SERVICES = 50;

/** Longest `q` search text. */
export const PULSE_MAX_SEARCH_LENGTH = 100;

/** Largest page of `GET /api/pulse/nodes?limit=`. */
export const PULSE_LIMIT_MAX = 5000;

/**
 * Longest `cursor`: the base64url of a `[service, id]` pair at the schema's longest names, each
 * character escaped by JSON.
 */
export const PULSE_MAX_CURSOR_LENGTH = 4096;

/** One value, or the same parameter repeated up to `max` times (fastify then gives an array). */
function oneOrMany<T extends object>(item: T, max: number) {
  return { anyOf: [item, { type: 'array', items: item, minItems: 1, maxItems: max }] } as const;
}

/** The Pulse filters every Pulse read takes; see `pulse-filter.ts` for their meaning. */
const PULSE_FILTERS = {
  service: oneOrMany(SERVICE_NAME, PULSE_MAX_SERVICES),
  status: oneOrMany(NODE_STATUS, 3),
  q: { type: 'string', maxLength: PULSE_MAX_SEARCH_LENGTH, pattern: '^\\P{Cc}*$' },
  fields: { type: 'string', enum: ['full', 'summary'] },
} as const;

/** `GET /api/pulse/nodes`: the filters, and a page (`limit`, `cursor`). */
export const PULSE_NODES_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...PULSE_FILTERS,
    limit: limitSchema(PULSE_LIMIT_MAX),
    cursor: {
      type: 'string',
      minLength: 1,
      maxLength: PULSE_MAX_CURSOR_LENGTH,
      pattern: '^[A-Za-z0-9_-]+$',
    },
  },
} as const;

/** `GET /api/pulse/stream`: the filters, and `delta=1` for change events after the first. */
export const PULSE_STREAM_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { ...PULSE_FILTERS, delta: { type: 'string', enum: ['0', '1'] } },
} as const;

/** `GET /api/pulse/queues`: only some services. */
export const PULSE_QUEUES_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { service: PULSE_FILTERS.service },
} as const;

/** Most `queue` values one history query may repeat. */
export const HISTORY_MAX_QUEUES = 50;

/** A queue name as the API accepts it: the schema's bound, and no control characters. */
export const QUEUE_NAME = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
  pattern: '^\\P{Cc}+$',
} as const;

/** `GET /api/pulse/queues/history`: one service, maybe some of its queues, maybe a `since`. */
export const PULSE_HISTORY_QUERY = {
  type: 'object',
  additionalProperties: false,
  required: ['service'],
  properties: {
    service: SERVICE_NAME,
    queue: oneOrMany(QUEUE_NAME, HISTORY_MAX_QUEUES),
    since: integerSchema(0, EPOCH_MS_MAX),
  },
} as const;
