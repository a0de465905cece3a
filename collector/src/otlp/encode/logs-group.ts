/**
 * Groups log records the way OTLP nests them: one `ResourceLogs` per resource, one `ScopeLogs`
 * per scope within it. Like the OTel JS transformer, resources and scopes are told apart by
 * object identity (the SDK shares one object per resource and per scope), and groups keep the
 * order in which they first appear.
 */
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** The scope of a record, as the SDK types it. */
export type LogScope = ReadableLogRecord['instrumentationScope'];

/** Records by resource, then by scope, in order of first appearance. */
export type GroupedLogRecords = Map<Resource, Map<LogScope, ReadableLogRecord[]>>;

/** One resource's records by scope: an entry of {@link GroupedLogRecords}. */
export type ResourceLogGroup = readonly [
  Resource,
  ReadonlyMap<LogScope, readonly ReadableLogRecord[]>,
];

/** Groups `records` by resource and scope identity, keeping each group in input order. */
export function groupLogRecords(records: readonly ReadableLogRecord[]): GroupedLogRecords {
  const resources: GroupedLogRecords = new Map();
  // Consecutive records usually share both: skip the lookups for them.
  let lastResource: Resource | undefined;
  let lastScope: LogScope | undefined;
  let lastGroup: ReadableLogRecord[] = [];
  for (const record of records) {
    const { resource, instrumentationScope: scope } = record;
    if (resource !== lastResource || scope !== lastScope) {
      let scopes = resources.get(resource);
      if (scopes === undefined) {
        scopes = new Map();
        resources.set(resource, scopes);
      }
      let group = scopes.get(scope);
      if (group === undefined) {
        group = [];
        scopes.set(scope, group);
      }
      lastResource = resource;
      lastScope = scope;
      lastGroup = group;
    }
    lastGroup.push(record);
  }
  return resources;
}
