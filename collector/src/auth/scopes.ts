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
 * The scope each command type needs. `INSPECT_JOB` (`inspect`) and `PAUSE_QUEUE` /
 * `RESUME_QUEUE` / `PROMOTE_JOB` (`pause`) join this table when the schema gains them.
 */
export const SCOPE_OF_COMMAND: Readonly<Record<CommandType, Scope>> = {
  RETRY_JOB: 'retry',
  DELETE_JOB: 'delete',
};

/** Whether `value` names a scope. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
