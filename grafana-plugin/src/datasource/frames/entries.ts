/** The `{ entries: [...] }` replies of the slow log and the audit trail. */
import { MAX_ENTRIES } from '../../api/limits';
import { field, isRecord, listOf } from '../../api/read';

/**
 * A collector reply without the shape its route promises: the query fails with this message
 * rather than showing an empty panel as if nothing had happened.
 */
export class UnexpectedReplyError extends Error {
  constructor(route: string, missing: string) {
    super(`Unexpected reply from ${route}: no ${missing}`);
    this.name = 'UnexpectedReplyError';
  }
}

/**
 * The object entries of `body.entries`, at most `MAX_ENTRIES`; throws
 * {@link UnexpectedReplyError} when there is no such array.
 */
export function entriesOf(route: string, body: unknown): Array<Record<string, unknown>> {
  const entries = field(body, 'entries');
  if (!Array.isArray(entries)) {
    throw new UnexpectedReplyError(route, '"entries" array');
  }
  return listOf(entries, MAX_ENTRIES, (entry) => (isRecord(entry) ? entry : null));
}
