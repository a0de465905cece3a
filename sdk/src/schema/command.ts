/**
 * Remote-control commands and their results, as they travel on `gravito:quasar:cmd:*`.
 * The message keeps the Zenith dashboard's shape, so its commands still parse; the signature
 * covers {@link canonicalCommand}, which another implementation must reproduce byte for byte.
 */
import { fitsBounds } from './bounded-json';
import { NOT_JSON, describe, fromJson, isFiniteNumber, isRecord } from './parse-result';
import type { ParseResult } from './parse-result';

/**
 * The longest command message an agent reads; a longer one is ignored unanswered. Commands are
 * a few hundred bytes; the collector refuses request bodies over the same size.
 */
export const MAX_COMMAND_BYTES = 16 * 1024;
/** The longest name (service, node, queue, job id) a command may carry. */
export const MAX_COMMAND_FIELD_LENGTH = 512;

export type { CommandResult, CommandResultStatus } from './command-result';
/** Nesting and size of a command message, extra fields included (the signature covers them). */
const COMMAND_BOUNDS = { maxDepth: 6, maxEntries: 256 } as const;

/** Command ids: what the collector issues (UUIDs) and its status route accepts. */
const COMMAND_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Whether `value` is a command id an agent answers to: 1–128 letters, digits, `.`, `_`, `:` or
 * `-`. A result is stored under its command's id, so an id of any other shape is never echoed.
 */
export function isCommandId(value: unknown): value is string {
  return typeof value === 'string' && COMMAND_ID.test(value);
}

/**
 * The command types an agent may execute; any other type parses, then is rejected. The Go agent
 * and the original Node SDK know only the first two, and reject the others as unknown.
 */
export const COMMAND_TYPES = [
  'RETRY_JOB',
  'DELETE_JOB',
  'INSPECT_JOB',
  'PAUSE_QUEUE',
  'RESUME_QUEUE',
  'PROMOTE_JOB',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/**
 * The verbs remote control allows; an agent enables them per queue. `pause` covers resume too;
 * `inspect` only reads.
 */
export const COMMAND_VERBS = ['retry', 'delete', 'inspect', 'pause', 'promote'] as const;
export type CommandVerb = (typeof COMMAND_VERBS)[number];

/** The verb each allowed command type runs. */
export const VERB_OF: Readonly<Record<CommandType, CommandVerb>> = {
  RETRY_JOB: 'retry',
  DELETE_JOB: 'delete',
  INSPECT_JOB: 'inspect',
  PAUSE_QUEUE: 'pause',
  RESUME_QUEUE: 'pause',
  PROMOTE_JOB: 'promote',
};

/**
 * What a command targets: one exact job, the queue's failed jobs or its delayed jobs (bounded
 * by the agent), or the queue itself (pause, resume).
 */
export const COMMAND_SCOPES = ['job', 'all-failed', 'all-delayed', 'queue'] as const;
export type CommandScope = (typeof COMMAND_SCOPES)[number];

/** The scopes each command type accepts; the first is its default when nothing names a job. */
export const SCOPES_OF: Readonly<Record<CommandType, readonly CommandScope[]>> = {
  RETRY_JOB: ['all-failed', 'job'],
  DELETE_JOB: ['all-failed', 'job'],
  INSPECT_JOB: ['job'],
  PAUSE_QUEUE: ['queue'],
  RESUME_QUEUE: ['queue'],
  PROMOTE_JOB: ['all-delayed', 'job'],
};

/** An error fingerprint (`failureGroups[].key`): 16 lowercase hex digits. */
const FINGERPRINT = /^[0-9a-f]{16}$/;

/** Whether `value` is a failure group's fingerprint. */
export function isFingerprint(value: unknown): value is string {
  return typeof value === 'string' && FINGERPRINT.test(value);
}

/** The `jobKey` the original dashboard always sent; it means every failed job. */
export const ALL_JOBS_KEY = '*';

/** Where a command applies. */
export interface CommandPayload {
  queue: string;
  /** The original's job selector: `*` for every failed job, else an exact job id. */
  jobKey: string;
  /** The queue system as the issuer knows it; the originals always sent `redis`. */
  driver: string;
  action?: string;
  /** The exact job id; wins over `jobKey`. */
  jobId?: string;
  /**
   * `all-failed` only: just the failed jobs whose error has this fingerprint (a failure group's
   * `key`). Agents that predate it ignore it and act on every failed job, so the collector
   * sends it only with the new command types' agents in mind: see docs/protocol.md.
   */
  fingerprint?: string;
  /** Report what the command would touch (count and sample) without changing anything. */
  dryRun?: boolean;
  [extra: string]: unknown;
}

/** One command. Unknown fields are kept, because the signature covers them too. */
export interface QuasarCommand {
  /** A random UUID; results, replay protection and the service-wide claim key on it. */
  id: string;
  /** `RETRY_JOB`, `DELETE_JOB`, or a type the agent will reject. */
  type: string;
  targetNodeId: string;
  payload: CommandPayload;
  /** When it was issued, epoch ms. */
  timestamp: number;
  /** Who issued it (`zenith` for the original dashboard). */
  issuer: string;
  /** Overrides the scope derived from `payload`. */
  scope?: CommandScope;
  /** After this instant (epoch ms) the command must not run. */
  expiresAt?: number;
  /** HMAC-SHA256 of {@link canonicalCommand}, 64 lowercase hex digits. */
  sig?: string;
  [extra: string]: unknown;
}

/** The effective target of a command, or why it has none. */
export type ResolvedScope =
  | { ok: true; scope: 'job'; jobId: string }
  | { ok: true; scope: Exclude<CommandScope, 'job'> }
  | { ok: false; error: string };

/** `[name, kind, required, nonEmpty, maxLength]`: a field's expected type, presence and size. */
export type Field = readonly [string, 'string' | 'number' | 'boolean', boolean, boolean, number?];

const NAME = MAX_COMMAND_FIELD_LENGTH;
const LABEL = 64;

const COMMAND_FIELDS: readonly Field[] = [
  ['id', 'string', true, true, 128],
  ['type', 'string', true, true, LABEL],
  ['targetNodeId', 'string', true, true, NAME],
  ['timestamp', 'number', true, false],
  ['issuer', 'string', true, true, NAME],
  ['expiresAt', 'number', false, false],
  ['sig', 'string', false, false, 128],
];
const PAYLOAD_FIELDS: readonly Field[] = [
  ['queue', 'string', true, true, NAME],
  ['jobKey', 'string', true, false, NAME],
  ['driver', 'string', true, true, LABEL],
  ['action', 'string', false, false, LABEL],
  ['jobId', 'string', false, true, NAME],
  ['fingerprint', 'string', false, true, 16],
  ['dryRun', 'boolean', false, false],
];

/** The first field of `obj` that is missing, mistyped or too long, as an error naming it. */
export function fieldError(obj: Record<string, unknown>, fields: readonly Field[], path = '') {
  for (const [name, kind, required, nonEmpty, maxLength] of fields) {
    const value = obj[name];
    if (value === undefined) {
      if (required) return `${path}${name}: missing`;
    } else if (kind === 'number' && !isFiniteNumber(value)) {
      return `${path}${name}: expected a number, got ${describe(value)}`;
    } else if (kind === 'boolean' && typeof value !== 'boolean') {
      return `${path}${name}: expected true or false, got ${describe(value)}`;
    } else if (kind === 'string' && typeof value !== 'string') {
      return `${path}${name}: expected a string, got ${describe(value)}`;
    } else if (nonEmpty && value === '') {
      return `${path}${name}: expected a non-empty string`;
    } else if (maxLength !== undefined && (value as string).length > maxLength) {
      return `${path}${name}: longer than ${maxLength} characters`;
    }
  }
  return undefined;
}

/**
 * Validates a command, given as JSON text or as a parsed value. Malformed fields reject it; so
 * does text over `MAX_COMMAND_BYTES`, a value nested deeper than 6 levels, and an id that
 * {@link isCommandId} refuses.
 */
export function parseCommand(input: unknown): ParseResult<QuasarCommand> {
  if (typeof input === 'string' && input.length > MAX_COMMAND_BYTES) {
    return { ok: false, error: `longer than ${MAX_COMMAND_BYTES} bytes` };
  }
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!isRecord(raw)) return { ok: false, error: `expected an object, got ${describe(raw)}` };
  if (!fitsBounds(raw, COMMAND_BOUNDS)) {
    return { ok: false, error: 'nested too deep or too many fields' };
  }
  const error = fieldError(raw, COMMAND_FIELDS);
  if (error !== undefined) return { ok: false, error };
  if (!isCommandId(raw.id)) {
    return { ok: false, error: `id: expected a command id, got ${describe(raw.id)}` };
  }
  if (raw.payload === undefined) return { ok: false, error: 'payload: missing' };
  if (!isRecord(raw.payload)) return { ok: false, error: 'payload: expected an object' };
  const payloadError = fieldError(raw.payload, PAYLOAD_FIELDS, 'payload.');
  if (payloadError !== undefined) return { ok: false, error: payloadError };
  const { fingerprint } = raw.payload;
  if (fingerprint !== undefined && !isFingerprint(fingerprint)) {
    return { ok: false, error: 'payload.fingerprint: expected 16 lowercase hex digits' };
  }
  if (raw.scope !== undefined && !COMMAND_SCOPES.includes(raw.scope as CommandScope)) {
    return {
      ok: false,
      error: `scope: expected one of ${COMMAND_SCOPES.join(', ')}, got ${describe(raw.scope)}`,
    };
  }
  const value = { ...raw, payload: { ...raw.payload } } as QuasarCommand;
  return { ok: true, value, warnings: [] };
}

/**
 * A command's effective scope for a command of `type`: the explicit `scope`, else
 * `payload.jobId`, else `payload.jobKey` (`*` = the type's bulk scope: every failed job, every
 * delayed job). Queue commands (pause, resume) always target the queue. Takes the parts rather
 * than a whole command, so an issuer can resolve a request before it builds the command.
 */
export function resolveScope(
  payload: Pick<CommandPayload, 'jobKey' | 'jobId'>,
  scope?: CommandScope,
  type: CommandType = 'RETRY_JOB',
): ResolvedScope {
  const allowed = SCOPES_OF[type];
  if (scope !== undefined && !allowed.includes(scope)) {
    return { ok: false, error: `scope "${scope}" does not apply to ${type}` };
  }
  const bulk = allowed[0] as CommandScope;
  if (bulk === 'queue') return { ok: true, scope: 'queue' };
  const { jobId, jobKey } = payload;
  const exact = jobId ?? (jobKey !== ALL_JOBS_KEY && jobKey !== '' ? jobKey : undefined);
  if (scope !== undefined && scope !== 'job') return { ok: true, scope };
  if (exact !== undefined) return { ok: true, scope: 'job', jobId: exact };
  if (scope === 'job' || bulk === 'job') {
    return { ok: false, error: 'scope "job" needs payload.jobId or an exact payload.jobKey' };
  }
  if (jobKey === ALL_JOBS_KEY) return { ok: true, scope: bulk };
  return { ok: false, error: 'payload.jobKey: empty, and no payload.jobId' };
}

/** JSON with object keys sorted (by UTF-16 code unit), no whitespace, undefined omitted. */
function canonicalJson(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    return undefined;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item) ?? 'null').join(',')}]`;
  }
  if (!isRecord(value)) return JSON.stringify(value);
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = canonicalJson(value[key]);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * The text a command's `sig` is computed over: every field but the top-level `sig`, object keys
 * sorted recursively, no whitespace, `undefined` fields omitted. See docs/protocol.md, Commands.
 */
export function canonicalCommand(command: QuasarCommand): string {
  const signed: Record<string, unknown> = { ...command };
  delete signed.sig;
  return canonicalJson(signed) as string;
}
