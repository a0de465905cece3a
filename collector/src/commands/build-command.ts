/**
 * Turns a `POST /api/pulse/command` body (the Zenith shape plus `jobId` and `scope`) into the
 * command the agents receive. Pure: no Redis, no clock, no randomness of its own.
 */
import {
  ALL_JOBS_KEY,
  COMMAND_SCOPES,
  COMMAND_TYPES,
  MAX_COMMAND_FIELD_LENGTH,
  SCOPES_OF,
  isFingerprint,
  resolveScope,
} from '@gravito/quasar/schema';
import type { CommandScope, CommandType, QuasarCommand } from '@gravito/quasar/schema';

/** Who the collector says issued a command, in the message's `issuer` field. */
export const COLLECTOR_ISSUER = 'quasar-collector';

/** The `nodeId` that addresses every node of a service (the broadcast channel). */
export const EVERY_NODE = '*';

/**
 * Longest service, node, queue, driver or job id accepted: they become channel names, and the
 * audit, the issued record and the log lines echo them. The agents refuse longer ones too.
 */
export const MAX_FIELD_LENGTH = MAX_COMMAND_FIELD_LENGTH;

/** A validated request to issue a command. */
export interface CommandRequest {
  service: string;
  /** A node id, or `*` for the whole service. */
  nodeId: string;
  type: CommandType;
  queue: string;
  /** The exact job, or undefined for a bulk or queue command. */
  jobId: string | undefined;
  scope: CommandScope;
  driver: string;
  /** `all-failed` only: the failure group (error fingerprint) to act on. */
  fingerprint?: string;
  /** Report what the command would touch, change nothing. */
  dryRun?: boolean;
}

/** The request, or the first problem with the body as a message naming the field. */
export type RequestParse = { ok: true; value: CommandRequest } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringField(body: Record<string, unknown>, name: string, required: boolean) {
  const value = body[name];
  if (value === undefined || value === null) return required ? `${name}: missing` : undefined;
  if (typeof value !== 'string') return `${name}: expected a string`;
  if (value === '' && required) return `${name}: expected a non-empty string`;
  if (value.length > MAX_FIELD_LENGTH) return `${name}: longer than ${MAX_FIELD_LENGTH}`;
  // A line break in a name would forge extra lines wherever the audit is shown as text.
  if (/\p{Cc}/u.test(value)) return `${name}: control characters are not allowed`;
  return undefined;
}

const isQueueType = (type: unknown) =>
  (COMMAND_TYPES as readonly unknown[]).includes(type) &&
  SCOPES_OF[type as CommandType][0] === 'queue';

/** Validates a request body. `jobKey` may be `*` (every failed job) or an exact job id. */
export function parseCommandRequest(body: unknown): RequestParse {
  if (!isRecord(body)) return { ok: false, error: 'body: expected a JSON object' };
  for (const [name, required] of [
    ['service', true],
    ['nodeId', true],
    ['type', true],
    ['queue', true],
    // Pause and resume name no job; the other types need one, or a scope, or `*`.
    ['jobKey', body.jobId === undefined && body.scope === undefined && !isQueueType(body.type)],
    ['jobId', false],
    ['driver', false],
  ] as const) {
    const error = stringField(body, name, required);
    if (error !== undefined) return { ok: false, error };
  }
  const type = body.type as string;
  if (!(COMMAND_TYPES as readonly string[]).includes(type)) {
    return { ok: false, error: `type: expected one of ${COMMAND_TYPES.join(', ')}` };
  }
  if (body.scope !== undefined && !COMMAND_SCOPES.includes(body.scope as CommandScope)) {
    return { ok: false, error: `scope: expected ${COMMAND_SCOPES.join(' or ')}` };
  }
  if (body.scope !== undefined && body.scope !== 'job' && body.jobId !== undefined) {
    return { ok: false, error: `jobId: not allowed with scope "${body.scope as string}"` };
  }
  const resolved = resolveScope(
    {
      jobKey: typeof body.jobKey === 'string' ? body.jobKey : '',
      jobId: typeof body.jobId === 'string' ? body.jobId : undefined,
    },
    body.scope as CommandScope | undefined,
    type as CommandType,
  );
  if (!resolved.ok) return { ok: false, error: resolved.error };
  const { fingerprint, dryRun } = body;
  if (fingerprint !== undefined && !isFingerprint(fingerprint)) {
    return { ok: false, error: 'fingerprint: expected 16 lowercase hex digits' };
  }
  if (fingerprint !== undefined && resolved.scope !== 'all-failed') {
    return { ok: false, error: 'fingerprint: allowed with scope "all-failed" only' };
  }
  if (dryRun !== undefined && typeof dryRun !== 'boolean') {
    return { ok: false, error: 'dryRun: expected true or false' };
  }
  // An original agent reads a one-job command's jobKey as the job and would act on it.
  if (dryRun === true && resolved.scope !== 'all-failed' && resolved.scope !== 'all-delayed') {
    return { ok: false, error: 'dryRun: allowed with scopes "all-failed" and "all-delayed" only' };
  }
  return {
    ok: true,
    value: {
      service: body.service as string,
      nodeId: body.nodeId as string,
      type: type as CommandType,
      queue: body.queue as string,
      jobId: resolved.scope === 'job' ? resolved.jobId : undefined,
      scope: resolved.scope,
      driver: (body.driver as string | undefined) || 'redis',
      ...(fingerprint !== undefined ? { fingerprint } : {}),
      ...(dryRun === true ? { dryRun: true } : {}),
    },
  };
}

/**
 * The `jobKey` of a request's command. The original agents read only `jobKey` (`*` = every failed
 * job): to them a grouped or dry-run command must name no job they have, so that they refuse it
 * (`job … not found`) instead of acting on every failed job. Quasar's agents read the explicit
 * `scope`, which wins over `jobKey`.
 */
export function jobKeyOf(request: CommandRequest): string {
  if (request.jobId !== undefined) return request.jobId;
  if (request.dryRun === true) return GUARDED_JOB_KEYS.dryRun;
  if (request.fingerprint !== undefined) return GUARDED_JOB_KEYS.group;
  return ALL_JOBS_KEY;
}

/** The `jobKey`s of commands the original agents must not read as "every failed job". */
export const GUARDED_JOB_KEYS = { dryRun: '?dry-run', group: '?failure-group' } as const;

/** The unsigned command for `request`, issued at `now` and valid for `ttlMs`. */
export function buildCommand(
  request: CommandRequest,
  id: string,
  now: number,
  ttlMs: number,
): QuasarCommand {
  return {
    id,
    type: request.type,
    targetNodeId: request.nodeId,
    payload: {
      queue: request.queue,
      jobKey: jobKeyOf(request),
      driver: request.driver,
      ...(request.jobId !== undefined ? { jobId: request.jobId } : {}),
      ...(request.fingerprint !== undefined ? { fingerprint: request.fingerprint } : {}),
      ...(request.dryRun === true ? { dryRun: true } : {}),
    },
    scope: request.scope,
    timestamp: now,
    expiresAt: now + ttlMs,
    issuer: COLLECTOR_ISSUER,
  };
}
