/**
 * The audit trail of issued commands, in the stream `gravito:quasar:audit` (trimmed with
 * `MAXLEN ~`). An entry is written before its command is published; its outcome is joined at
 * read time from the command's result key, so the trail never needs a second write.
 */
import type Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { ActorKind, Credential } from './actor';
import { outcomeOf } from './command-status';
import type { CommandOutcome } from './command-status';

/** The fields of one audit entry, as written. */
export interface AuditRecord {
  /** The command id. */
  id: string;
  /** When it was issued, epoch ms. */
  at: number;
  actor: string;
  actorKind: ActorKind;
  /** The credential the request carried (the actor may be only an annotation). */
  credential: Credential;
  /** The command type, e.g. `RETRY_JOB`. */
  action: string;
  service: string;
  nodeId: string;
  queue: string;
  scope: string;
  /** The exact job, empty for `all-failed`. */
  jobId: string;
  /** When the command turns `expired` without a result, epoch ms. */
  deadline: number;
}

/** An entry as read back: the record, its stream id, and what became of the command. */
export interface AuditEntry extends AuditRecord {
  entryId: string;
  outcome: CommandOutcome;
}

/** Longest page of `GET /api/pulse/audit`. */
export const AUDIT_LIMIT_MAX = 1000;

/** Appends `record`; rejects when Redis refuses, and then the command must not be sent. */
export async function appendAudit(
  redis: Redis,
  record: AuditRecord,
  maxLength: number,
): Promise<string> {
  const fields = Object.entries(record).flatMap(([k, v]) => [k, String(v)]);
  const id = await redis.xadd(QuasarKeys.audit, 'MAXLEN', '~', String(maxLength), '*', ...fields);
  return id as string;
}

function recordOf(fields: string[]): AuditRecord {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
  return {
    id: map.id ?? '',
    at: Number(map.at),
    actor: map.actor ?? '',
    actorKind: (map.actorKind ?? 'token') as ActorKind,
    credential: (map.credential ?? 'none') as Credential,
    action: map.action ?? '',
    service: map.service ?? '',
    nodeId: map.nodeId ?? '',
    queue: map.queue ?? '',
    scope: map.scope ?? '',
    jobId: map.jobId ?? '',
    deadline: Number(map.deadline),
  };
}

/** The newest `limit` entries, newest first, each with its command's outcome. */
export async function readAudit(redis: Redis, limit: number, now = Date.now()) {
  const rows = await redis.xrevrange(QuasarKeys.audit, '+', '-', 'COUNT', limit);
  if (rows.length === 0) return [];
  const records = rows.map(([, fields]) => recordOf(fields));
  const results = await redis.mget(...records.map((r) => QuasarKeys.commandResult(r.id)));
  return records.map((record, i): AuditEntry => ({
    ...record,
    entryId: (rows[i] as [string, string[]])[0],
    outcome: outcomeOf(results[i] ?? null, record.deadline, now),
  }));
}
