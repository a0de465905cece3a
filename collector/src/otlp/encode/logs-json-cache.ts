/**
 * OTLP/JSON of resources and scopes, encoded once per object: the text before and after a
 * resource's (or scope's) children. See `logs-protobuf-cache.ts` for why identity is the key.
 */
import type { Resource } from '@opentelemetry/resources';
import type { LogScope } from './logs-group';
import { LogsJsonWriter, ascii } from './logs-json-writer';

/** JSON around the children of a `ResourceLogs` or a `ScopeLogs`. */
export interface EnclosingJson {
  /** From the opening brace to the opening bracket of the children's list. */
  readonly open: Uint8Array;
  /** The closing bracket, the schema URL when there is one, the closing brace. */
  readonly close: Uint8Array;
}

const resourceCache = new WeakMap<Resource, EnclosingJson>();
const scopeCache = new WeakMap<LogScope, EnclosingJson>();

const RESOURCE_OPEN = ascii('{"resource":{');
const SCOPE_LOGS_OPEN = ascii('},"scopeLogs":[');
const SCOPE_OPEN = ascii('{"scope":{');
const LOG_RECORDS_OPEN = ascii('},"logRecords":[');
const NAME = ascii('"name":');
const VERSION = ascii('"version":');
const DROPPED_ATTRIBUTES_COUNT = ascii('"droppedAttributesCount":');
const SCHEMA_URL = ascii('],"schemaUrl":');

function close(schemaUrl: string | undefined): Uint8Array {
  const writer = new LogsJsonWriter(64);
  if (schemaUrl) {
    writer.raw(SCHEMA_URL);
    writer.string(schemaUrl);
    writer.ascii('}');
  } else {
    writer.ascii(']}');
  }
  return writer.toBytes();
}

/** `{"resource":{…},"scopeLogs":[` and what closes it. */
export function resourceLogsJson(resource: Resource): EnclosingJson {
  let json = resourceCache.get(resource);
  if (json !== undefined) return json;
  const writer = new LogsJsonWriter(512);
  writer.raw(RESOURCE_OPEN);
  writer.attributes(resource.attributes);
  writer.raw(SCOPE_LOGS_OPEN);
  json = { open: writer.toBytes(), close: close(resource.schemaUrl) };
  // Attributes still being detected would change later: such a resource is encoded each time.
  if (resource.asyncAttributesPending !== true) resourceCache.set(resource, json);
  return json;
}

/** `{"scope":{…},"logRecords":[` and what closes it. */
export function scopeLogsJson(scope: LogScope): EnclosingJson {
  let json = scopeCache.get(scope);
  if (json !== undefined) return json;
  const writer = new LogsJsonWriter(256);
  writer.raw(SCOPE_OPEN);
  if (scope.name) {
    writer.field(NAME);
    writer.string(scope.name);
  }
  if (scope.version) {
    writer.field(VERSION);
    writer.string(scope.version);
  }
  if (scope.attributes !== undefined) writer.attributes(scope.attributes);
  if (scope.droppedAttributesCount) {
    writer.field(DROPPED_ATTRIBUTES_COUNT);
    writer.ascii(String(scope.droppedAttributesCount));
  }
  writer.raw(LOG_RECORDS_OPEN);
  json = { open: writer.toBytes(), close: close(scope.schemaUrl) };
  scopeCache.set(scope, json);
  return json;
}
