/** The `{ entries: [...] }` replies of the slow log and the audit trail. */
import { isRecord } from '../../api/read';

/** The object entries of `body.entries`; throws when there is no such array. */
export function entriesOf(route: string, body: unknown): Array<Record<string, unknown>> {
  const entries = isRecord(body) ? body.entries : undefined;
  if (!Array.isArray(entries)) {
    throw new Error(`Unexpected reply from ${route}: no "entries" array`);
  }
  return entries.filter(isRecord);
}
