/**
 * Protobuf bytes of resources and scopes, encoded once per object. Every record of a node
 * carries the same `Resource` object (and every record the same scope), so a request of 1,000
 * records from 100 nodes encodes 100 resources the first time and none after that. A WeakMap
 * lets retired nodes' resources go.
 */
import type { Resource } from '@opentelemetry/resources';
import type { LogScope } from './logs-group';
import { OTLP_LOGS } from './logs-fields';
import { LogsProtobufWriter } from './logs-protobuf-writer';

const { ResourceLogs, ScopeLogs, Resource: ResourceFields, InstrumentationScope } = OTLP_LOGS;

/** The fields a resource or scope contributes around its children. */
export interface EnclosingBytes {
  /** The `resource` (or `scope`) field, key and length included. */
  readonly head: Uint8Array;
  /** The `schema_url` field that follows the children, or no bytes. */
  readonly tail: Uint8Array;
}

const resourceCache = new WeakMap<Resource, EnclosingBytes>();
const scopeCache = new WeakMap<LogScope, EnclosingBytes>();

function schemaUrlField(tag: number, schemaUrl: string | undefined): Uint8Array {
  const writer = new LogsProtobufWriter(64);
  if (schemaUrl) {
    writer.byte(tag);
    writer.string(schemaUrl);
  }
  return writer.toBytes();
}

/** A resource's bytes in `ResourceLogs`: its attributes, then its schema URL. */
export function resourceLogsBytes(resource: Resource): EnclosingBytes {
  let bytes = resourceCache.get(resource);
  if (bytes !== undefined) return bytes;
  const writer = new LogsProtobufWriter(512);
  writer.byte(ResourceLogs.resource);
  const body = writer.begin(256);
  writer.attributes(ResourceFields.attributes, resource.attributes);
  writer.end(body);
  bytes = {
    head: writer.toBytes(),
    tail: schemaUrlField(ResourceLogs.schemaUrl, resource.schemaUrl),
  };
  // Attributes still being detected would change later: such a resource is encoded each time.
  if (resource.asyncAttributesPending !== true) resourceCache.set(resource, bytes);
  return bytes;
}

/** A scope's bytes in `ScopeLogs`: name, version and attributes, then its schema URL. */
export function scopeLogsBytes(scope: LogScope): EnclosingBytes {
  let bytes = scopeCache.get(scope);
  if (bytes !== undefined) return bytes;
  const writer = new LogsProtobufWriter(256);
  writer.byte(ScopeLogs.scope);
  const body = writer.begin(64);
  if (scope.name) {
    writer.byte(InstrumentationScope.name);
    writer.string(scope.name);
  }
  if (scope.version) {
    writer.byte(InstrumentationScope.version);
    writer.string(scope.version);
  }
  if (scope.attributes !== undefined) {
    writer.attributes(InstrumentationScope.attributes, scope.attributes);
  }
  if (scope.droppedAttributesCount) {
    writer.byte(InstrumentationScope.droppedAttributesCount);
    writer.varint(scope.droppedAttributesCount);
  }
  writer.end(body);
  bytes = { head: writer.toBytes(), tail: schemaUrlField(ScopeLogs.schemaUrl, scope.schemaUrl) };
  scopeCache.set(scope, bytes);
  return bytes;
}
