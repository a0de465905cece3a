/**
 * What an API token may do. One scope per kind of action, and one table mapping each command
 * type to the scope it needs, so a new command type is one line here (its absence is a compile
 * error, since the table is typed by the schema's `CommandType`).
 */
import type { CommandType } from '@gravito/quasar/schema';

/** Every scope a token may hold. */
export const SCOPES = ['read', 'inspect', 'retry', 'delete', 'pause'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scopes that issue commands (everything but `read`). */
export const COMMAND_SCOPES: readonly Scope[] = SCOPES.filter((s) => s !== 'read');

/** In a token's configuration, every scope, today's and any added later. */
export const ALL_SCOPES = '*';

/**
 * The scope each command type needs. Promoting delayed jobs changes when a queue's work runs,
 * as pausing does, so it needs `pause`; inspecting only reads, but reads payloads, so it has a
 * scope of its own.
 */
export const SCOPE_OF_COMMAND: Readonly<Record<CommandType, Scope>> = {
  RETRY_JOB: 'retry',
  DELETE_JOB: 'delete',
  INSPECT_JOB: 'inspect',
  PAUSE_QUEUE: 'pause',
  RESUME_QUEUE: 'pause',
  PROMOTE_JOB: 'pause',
};

/** Whether `value` names a scope. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
