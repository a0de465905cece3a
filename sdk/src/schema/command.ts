/**
 * Remote-control commands and their results, as they travel on `gravito:quasar:cmd:*`.
 * The message keeps the Zenith dashboard's shape, so its commands still parse; the signature
 * covers {@link canonicalCommand}, which another implementation must reproduce byte for byte.
 */
import { NOT_JSON, describe, fromJson, isFiniteNumber, isRecord } from './parse-result';
import type { ParseResult } from './parse-result';

/** The command types an agent may execute; any other type parses, then is rejected. */
export const COMMAND_TYPES = ['RETRY_JOB', 'DELETE_JOB'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** The verbs remote control allows, one per command type; an agent enables them per queue. */
export const COMMAND_VERBS = ['retry', 'delete'] as const;
export type CommandVerb = (typeof COMMAND_VERBS)[number];

/** The verb each allowed command type runs. */
export const VERB_OF: Readonly<Record<CommandType, CommandVerb>> = {
  RETRY_JOB: 'retry',
  DELETE_JOB: 'delete',
};

/** What a command targets: one exact job, or the queue's failed jobs (bounded by the agent). */
export const COMMAND_SCOPES = ['job', 'all-failed'] as const;
export type CommandScope = (typeof COMMAND_SCOPES)[number];

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

export const COMMAND_RESULT_STATUSES = ['succeeded', 'failed', 'rejected'] as const;
export type CommandResultStatus = (typeof COMMAND_RESULT_STATUSES)[number];

/** What the agent decided and did, stored at `gravito:quasar:cmd:result:{commandId}`. */
export interface CommandResult {
  commandId: string;
  status: CommandResultStatus;
  /** Why it was rejected or failed. */
  reason?: string;
  /** Jobs retried or deleted. */
  affected: number;
  /** The node that decided. */
  nodeId: string;
  /** When it decided, epoch ms. */
  finishedAt: number;
}

/** The effective target of a command, or why it has none. */
export type ResolvedScope =
  | { ok: true; scope: 'job'; jobId: string }
  | { ok: true; scope: 'all-failed' }
  | { ok: false; error: string };

/** `[name, kind, required, nonEmpty]`: a field's expected type and presence. */
type Field = readonly [string, 'string' | 'number', boolean, boolean];

const COMMAND_FIELDS: readonly Field[] = [
  ['id', 'string', true, true],
  ['type', 'string', true, true],
  ['targetNodeId', 'string', true, true],
  ['timestamp', 'number', true, false],
  ['issuer', 'string', true, true],
  ['expiresAt', 'number', false, false],
  ['sig', 'string', false, false],
];
const PAYLOAD_FIELDS: readonly Field[] = [
  ['queue', 'string', true, true],
  ['jobKey', 'string', true, false],
  ['driver', 'string', true, true],
  ['action', 'string', false, false],
  ['jobId', 'string', false, true],
];
const RESULT_FIELDS: readonly Field[] = [
  ['commandId', 'string', true, true],
  ['reason', 'string', false, false],
  ['nodeId', 'string', true, true],
  ['finishedAt', 'number', true, false],
];

/** The first field of `obj` that is missing or mistyped, as an error message naming it. */
function fieldError(obj: Record<string, unknown>, fields: readonly Field[], path = '') {
  for (const [name, kind, required, nonEmpty] of fields) {
    const value = obj[name];
    if (value === undefined) {
      if (required) return `${path}${name}: missing`;
    } else if (kind === 'number' && !isFiniteNumber(value)) {
      return `${path}${name}: expected a number, got ${describe(value)}`;
    } else if (kind === 'string' && typeof value !== 'string') {
      return `${path}${name}: expected a string, got ${describe(value)}`;
    } else if (nonEmpty && value === '') {
      return `${path}${name}: expected a non-empty string`;
    }
  }
  return undefined;
}

/** Validates a command, given as JSON text or as a parsed value. Malformed fields reject it. */
export function parseCommand(input: unknown): ParseResult<QuasarCommand> {
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!isRecord(raw)) return { ok: false, error: `expected an object, got ${describe(raw)}` };
  const error = fieldError(raw, COMMAND_FIELDS);
  if (error !== undefined) return { ok: false, error };
  if (raw.payload === undefined) return { ok: false, error: 'payload: missing' };
  if (!isRecord(raw.payload)) return { ok: false, error: 'payload: expected an object' };
  const payloadError = fieldError(raw.payload, PAYLOAD_FIELDS, 'payload.');
  if (payloadError !== undefined) return { ok: false, error: payloadError };
  if (raw.scope !== undefined && !COMMAND_SCOPES.includes(raw.scope as CommandScope)) {
    return {
      ok: false,
      error: `scope: expected "job" or "all-failed", got ${describe(raw.scope)}`,
    };
  }
  const value = { ...raw, payload: { ...raw.payload } } as QuasarCommand;
  return { ok: true, value, warnings: [] };
}

/**
 * A command's effective scope: the explicit `scope`, else `payload.jobId`, else
 * `payload.jobKey` (`*` = every failed job). Takes the two parts rather than a whole command,
 * so an issuer can resolve a request before it builds the command.
 */
export function resolveScope(
  payload: Pick<CommandPayload, 'jobKey' | 'jobId'>,
  scope?: CommandScope,
): ResolvedScope {
  const { jobId, jobKey } = payload;
  const exact = jobId ?? (jobKey !== ALL_JOBS_KEY && jobKey !== '' ? jobKey : undefined);
  if (scope === 'all-failed') return { ok: true, scope: 'all-failed' };
  if (exact !== undefined) return { ok: true, scope: 'job', jobId: exact };
  if (scope === 'job') {
    return { ok: false, error: 'scope "job" needs payload.jobId or an exact payload.jobKey' };
  }
  if (jobKey === ALL_JOBS_KEY) return { ok: true, scope: 'all-failed' };
  return { ok: false, error: 'payload.jobKey: empty, and no payload.jobId' };
}

/** Validates a command result, given as JSON text or as a parsed value. */
export function parseCommandResult(input: unknown): ParseResult<CommandResult> {
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!isRecord(raw)) return { ok: false, error: `expected an object, got ${describe(raw)}` };
  if (!COMMAND_RESULT_STATUSES.includes(raw.status as CommandResultStatus)) {
    return { ok: false, error: `status: expected one of ${COMMAND_RESULT_STATUSES.join(', ')}` };
  }
  const error = fieldError(raw, RESULT_FIELDS);
  if (error !== undefined) return { ok: false, error };
  if (!Number.isInteger(raw.affected) || (raw.affected as number) < 0) {
    return { ok: false, error: 'affected: expected a non-negative integer' };
  }
  return { ok: true, value: raw as unknown as CommandResult, warnings: [] };
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
