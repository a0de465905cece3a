/**
 * The audit trail of issued commands, in the stream `gravito:quasar:audit`, kept by age: every
 * append trims the entries older than the retention (`MINID`), never younger ones, so a flood
 * of commands cannot push out the history an incident review needs. A very large `MAXLEN ~`
 * only bounds memory. An entry is written before its command is published; its outcome is
 * joined at read time from the command's result key, so the trail never needs a second write.
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { mgetAcrossSlots } from '../redis/slot-groups';
import type { ActorKind, Credential } from './actor';
import { MAX_FIELD_LENGTH } from './build-command';
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
  /**
   * The name of the token the request carried, never its secret. Entries written before
   * tokens had names read back as their legacy credential (`api-token`, `write-token`).
   */
  tokenName: string;
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
  /** `all-failed`: the failure group (16 hex digits) the command selected; absent for all. */
  fingerprint?: string;
  /** Present, and true, when the command was a dry run. */
  dryRun?: true;
}

/** An entry as read back: the record, its stream id, and what became of the command. */
export interface AuditEntry extends AuditRecord {
  entryId: string;
  outcome: CommandOutcome;
}

/** How the stream is trimmed on every append. */
export interface AuditTrim {
  /** Entries older than this (ms, by their stream id) are removed. */
  retentionMs: number;
  /** Memory backstop: the stream never grows much past this many entries. */
  maxLength: number;
}

/** One page of the trail, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  /** The `before` cursor of the next, older page; null when there is none. */
  next: string | null;
}

/** Longest page of `GET /api/pulse/audit`. */
export const AUDIT_LIMIT_MAX = 1000;

const ACTOR_KINDS: ReadonlySet<string> = new Set<ActorKind>(['token', 'grafana-user']);
const CREDENTIALS: ReadonlySet<string> = new Set<Credential>([
  'write-token',
  'api-token',
  'named-token',
  'none',
]);
const LEGACY_CREDENTIALS: ReadonlySet<string> = new Set<Credential>(['write-token', 'api-token']);
const TEXT_FIELDS = [
  'id',
  'actor',
  'tokenName',
  'action',
  'service',
  'nodeId',
  'queue',
  'scope',
  'jobId',
];
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  ...TEXT_FIELDS,
  'at',
  'actorKind',
  'credential',
  'deadline',
  'fingerprint',
  'dryRun',
]);
const FINGERPRINT = /^[0-9a-f]{16}$/;

/** Appends `record` and trims by age, then by length; rejects when Redis refuses the append. */
export async function appendAudit(
  redis: RedisClient,
  record: AuditRecord,
  trim: AuditTrim,
  now = Date.now(),
): Promise<string> {
  const fields = Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => [k, String(v)]);
  const minId = String(Math.max(0, Math.floor(now - trim.retentionMs)));
  // Exact MINID: at most one command a second per credential, so each append trims a handful.
  const replies = await redis
    .pipeline()
    .xadd(QuasarKeys.audit, 'MINID', '=', minId, '*', ...fields)
    .xtrim(QuasarKeys.audit, 'MAXLEN', '~', String(trim.maxLength))
    .exec();
  const [error, id] = replies?.[0] ?? [new Error('the audit append got no reply')];
  if (error) throw error;
  return id as string;
}

/** A stream entry's fields, untrusted: known names only, bounded, never on a prototype. */
function recordOf(fields: readonly string[]): AuditRecord {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i] as string;
    if (KNOWN_FIELDS.has(name)) map.set(name, (fields[i + 1] as string).slice(0, MAX_FIELD_LENGTH));
  }
  const text = (name: string) => map.get(name) ?? '';
  const time = (name: string) => {
    const value = Number(map.get(name));
    return Number.isFinite(value) ? value : 0;
  };
  const actorKind = text('actorKind');
  const credential = (
    CREDENTIALS.has(text('credential')) ? text('credential') : 'none'
  ) as Credential;
  const legacyName = LEGACY_CREDENTIALS.has(credential) ? credential : '';
  const fingerprint = text('fingerprint');
  return {
    id: text('id'),
    at: time('at'),
    actor: text('actor'),
    actorKind: (ACTOR_KINDS.has(actorKind) ? actorKind : 'token') as ActorKind,
    credential,
    tokenName: map.get('tokenName') ?? legacyName,
    action: text('action'),
    service: text('service'),
    nodeId: text('nodeId'),
    queue: text('queue'),
    scope: text('scope'),
    jobId: text('jobId'),
    deadline: time('deadline'),
    ...(FINGERPRINT.test(fingerprint) ? { fingerprint } : {}),
    ...(text('dryRun') === 'true' ? { dryRun: true as const } : {}),
  };
}

/**
 * Up to `limit` entries older than the entry `before` (or the newest, without it), newest
 * first, each with its command's outcome. `before` must be a valid stream id.
 */
export async function readAudit(
  redis: RedisClient,
  page: { limit: number; before?: string },
  now = Date.now(),
): Promise<AuditPage> {
  // Nothing precedes 0-0, and Redis refuses the exclusive range `(0-0`.
  if (page.before === '0-0') return { entries: [], next: null };
  const end = page.before === undefined ? '+' : `(${page.before}`;
  const rows = await redis.xrevrange(QuasarKeys.audit, end, '-', 'COUNT', page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const next = rows.length > page.limit ? (shown[shown.length - 1] as [string, string[]])[0] : null;
  if (shown.length === 0) return { entries: [], next: null };
  const records = shown.map(([, fields]) => recordOf(fields));
  // The result keys of a page lie in many slots: one MGET per slot on a cluster.
  const results = await mgetAcrossSlots(
    redis,
    records.map((r) => QuasarKeys.commandResult(r.id)),
  );
  const entries = records.map((record, i): AuditEntry => ({
    ...record,
    entryId: (shown[i] as [string, string[]])[0],
    outcome: outcomeOf(results[i] ?? null, record.deadline, now),
  }));
  return { entries, next };
}
