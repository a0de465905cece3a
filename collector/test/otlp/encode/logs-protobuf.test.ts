import { TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogsProtobuf } from '../../../src/otlp/encode';
import { OTLP_LOGS } from '../../../src/otlp/encode/logs-fields';
import { fieldTag } from '../../../src/otlp/encode/protobuf-writer';
import {
  SPAN_ID,
  T0_MS,
  TRACE_ID,
  everyFieldLogRecords,
  fleetLogRecords,
  realisticLogRecords,
  stockLogsProtobuf,
} from '../../support/otlp-logs-fixtures';
import { OTLP_LOGS_SCHEMA, at, countOf } from '../../support/otlp-schema';
import type { DecodedMessage } from '../../support/otlp-schema';
import { decodeProtobuf } from '../../support/protobuf-decode';

const REQUEST = 'ExportLogsServiceRequest';

/** Ours, decoded strictly: an unknown field, a long varint or a written default fails. */
function decodeOurs(records: readonly ReadableLogRecord[]): DecodedMessage {
  return decodeProtobuf(encodeLogsProtobuf(records), REQUEST, {
    canonical: true,
    schema: OTLP_LOGS_SCHEMA,
  });
}

function decodeStock(records: ReadableLogRecord[]): DecodedMessage {
  return decodeProtobuf(stockLogsProtobuf(records), REQUEST, { schema: OTLP_LOGS_SCHEMA });
}

/** Whether ours decodes to the stock request; false when ours does not decode at all. */
function matchesStock(records: ReadableLogRecord[]): boolean {
  try {
    expect(decodeOurs(records)).toEqual(decodeStock(records));
    return true;
  } catch {
    return false;
  }
}

const BARE_RESOURCE = resourceFromAttributes({});
const BARE_SCOPE = { name: '' };

/** A record with only the fields given, on an empty resource and scope unless given. */
function bareRecord(fields: Partial<ReadableLogRecord>): ReadableLogRecord {
  return {
    hrTime: [0, 0],
    hrTimeObserved: [0, 0],
    resource: BARE_RESOURCE,
    instrumentationScope: BARE_SCOPE,
    attributes: {},
    droppedAttributesCount: 0,
    ...fields,
  };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('encodeLogsProtobuf', () => {
  it('encodes the same request as the stock OTel serializer', () => {
    const records = realisticLogRecords();
    expect(decodeOurs(records)).toEqual(decodeStock(records));
  });

  it('encodes every field and AnyValue kind the same way as the stock serializer', () => {
    const records = everyFieldLogRecords();
    expect(decodeOurs(records)).toEqual(decodeStock(records));
  });

  it('groups records by resource, then scope, in order of first appearance', () => {
    const request = decodeOurs(realisticLogRecords());
    const nodes = (at(request, 'resourceLogs') as DecodedMessage[]).map((resourceLogs) => {
      const attributes = at(resourceLogs, 'resource', 'attributes') as DecodedMessage[];
      return at(attributes[1] as DecodedMessage, 'value', 'stringValue');
    });
    expect(nodes).toEqual(['web-1', 'worker-1', 'web-2']);
    const worker = at(request, 'resourceLogs', 1);
    expect(countOf(worker, 'scopeLogs')).toBe(2);
    expect(at(worker, 'scopeLogs', 0, 'scope', 'name')).toBe('@gravito/quasar-collector');
    expect(at(worker, 'scopeLogs', 1, 'scope', 'name')).toBe('quasar-tests');
    expect(at(worker, 'scopeLogs', 1, 'schemaUrl')).toBe('https://example.com/s');
    const web1Records = at(request, 'resourceLogs', 0, 'scopeLogs', 0, 'logRecords');
    expect((web1Records as DecodedMessage[]).map((r) => at(r, 'attributes', 4))).toEqual([
      { key: 'quasar.slow.entry_id', value: { stringValue: `${T0_MS}-0` } },
      { key: 'quasar.slow.entry_id', value: { stringValue: '3-0' } },
      { key: 'quasar.slow.entry_id', value: { stringValue: `${T0_MS}-0` } },
    ]);
  });

  it('writes the exact bytes of a record, field numbers included', () => {
    const record = bareRecord({
      hrTime: [1, 2],
      hrTimeObserved: [3, 4],
      severityNumber: SeverityNumber.WARN,
      severityText: 'W',
      body: 'b',
      attributes: { k: 1 },
      droppedAttributesCount: 5,
      spanContext: {
        traceId: '000102030405060708090a0b0c0d0e0f',
        spanId: 'A0A1A2A3A4A5A6A7',
        traceFlags: TraceFlags.SAMPLED,
      },
      eventName: 'e',
      resource: resourceFromAttributes({ r: true }, { schemaUrl: 'R' }),
      instrumentationScope: { name: 's', version: 'v', schemaUrl: 'S' },
    });
    const expected = [
      '0a68', //                   request.resource_logs (1), 104 bytes
      '0a09', //                     resource (1), 9 bytes
      '0a070a017212021001', //         attributes (1) { key (1) "r", value (2) { bool (2) true } }
      '1258', //                     scope_logs (2), 88 bytes
      '0a060a0173120176', //           scope (1) { name (1) "s", version (2) "v" }
      '124b', //                       log_records (2), 75 bytes
      '0902ca9a3b00000000', //           time_unix_nano (1) fixed64 1,000,000,002
      '100d', //                         severity_number (2) 13
      '1a0157', //                       severity_text (3) "W"
      '2a030a0162', //                   body (5) { string (1) "b" }
      '32070a016b12021801', //           attributes (6) { key "k", value { int (3) 1 } }
      '3805', //                         dropped_attributes_count (7) 5
      '4501000000', //                   flags (8) fixed32 1
      '4a10000102030405060708090a0b0c0d0e0f', // trace_id (9), 16 bytes
      '5208a0a1a2a3a4a5a6a7', //         span_id (10), 8 bytes
      '59045ed0b200000000', //           observed_time_unix_nano (11) fixed64 3,000,000,004
      '620165', //                       event_name (12) "e"
      '1a0153', //                     scope_logs.schema_url (3) "S"
      '1a0152', //                   resource_logs.schema_url (3) "R"
    ].join('');
    expect(hex(encodeLogsProtobuf([record]))).toBe(expected);
  });

  it('is caught by the stock comparison when any field number changes', () => {
    // Every key a request can hold, found on the tables the encoder reads at each call.
    // Resources and scopes are cached per object; everyFieldLogRecords() makes new ones.
    const tables = OTLP_LOGS as unknown as Record<string, Record<string, number>>;
    expect(matchesStock(everyFieldLogRecords())).toBe(true);
    const missed: string[] = [];
    for (const [message, fields] of Object.entries(tables)) {
      for (const [name, key] of Object.entries(fields)) {
        // The next field number with the same wire type: a plausible slip.
        fields[name] = fieldTag((key >>> 3) + 1, key & 7);
        try {
          if (matchesStock(everyFieldLogRecords())) missed.push(`${message}.${name}`);
        } finally {
          fields[name] = key;
        }
      }
    }
    // KeyValue.key of attributes is pre-encoded once per key string (by the metrics cache);
    // map keys inside bodies are written live, so the loop still covers the number.
    expect(missed).toEqual([]);
  });

  it('writes HrTime as exact nanoseconds, fractional milliseconds included', () => {
    const records = [
      bareRecord({ hrTime: [1_700_000_000, 123_456_789], hrTimeObserved: [4_102_444_800, 1] }),
      bareRecord({ hrTime: [18_446_744_073, 709_551_615], hrTimeObserved: [0, 999_999_999] }),
    ];
    const logRecords = at(decodeOurs(records), 'resourceLogs', 0, 'scopeLogs', 0, 'logRecords');
    expect(at(logRecords, 0)).toEqual({
      timeUnixNano: '1700000000123456789',
      observedTimeUnixNano: '4102444800000000001',
    });
    expect(at(logRecords, 1)).toEqual({
      timeUnixNano: '18446744073709551615',
      observedTimeUnixNano: '999999999',
    });
    expect(decodeOurs(records)).toEqual(decodeStock(records));
  });

  it('leaves out zero and impossible times instead of wrapping them', () => {
    const records = [
      bareRecord({ hrTime: [0, 0], hrTimeObserved: [-1, 0] }),
      bareRecord({ hrTime: [18_446_744_074, 0], hrTimeObserved: [Number.NaN, 0] }),
    ];
    const logRecords = at(decodeOurs(records), 'resourceLogs', 0, 'scopeLogs', 0, 'logRecords');
    expect(logRecords).toEqual([{}, {}]);
  });

  it('writes ids as raw bytes and flags only when set, leaving malformed ids out', () => {
    const unsampled = bareRecord({
      spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE },
    });
    const malformed = bareRecord({
      spanContext: { traceId: 'not-hex', spanId: `${SPAN_ID}00`, traceFlags: TraceFlags.SAMPLED },
    });
    const logRecords = at(
      decodeOurs([unsampled, malformed]),
      'resourceLogs',
      0,
      'scopeLogs',
      0,
      'logRecords',
    );
    expect(at(logRecords, 0)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(at(logRecords, 1)).toEqual({ flags: 1 });
  });

  it('writes a null body as an empty AnyValue and leaves an undefined one out', () => {
    const records = [bareRecord({ body: null }), bareRecord({ body: undefined })];
    const logRecords = at(decodeOurs(records), 'resourceLogs', 0, 'scopeLogs', 0, 'logRecords');
    expect(logRecords).toEqual([{ body: {} }, {}]);
    expect(decodeOurs(records)).toEqual(decodeStock(records));
  });

  it('writes numbers as int_value when integral in int64 range, else double_value', () => {
    const record = bareRecord({
      attributes: { big: 2 ** 63, neg: -(2 ** 63), frac: 0.1, nan: Number.NaN, inf: -Infinity },
    });
    const attributes = at(decodeOurs([record]), 'resourceLogs', 0, 'scopeLogs', 0, 'logRecords', 0);
    expect(attributes).toEqual({
      attributes: [
        { key: 'big', value: { doubleValue: 2 ** 63 } },
        { key: 'neg', value: { intValue: '-9223372036854775808' } },
        { key: 'frac', value: { doubleValue: 0.1 } },
        { key: 'nan', value: { doubleValue: Number.NaN } },
        { key: 'inf', value: { doubleValue: -Infinity } },
      ],
    });
    expect(decodeOurs([record])).toEqual(decodeStock([record]));
  });

  it('re-encodes a resource whose attributes are still being detected', async () => {
    const resource = resourceFromAttributes({
      'service.name': 'web',
      'host.id': Promise.resolve('h-1'),
    });
    const records = [bareRecord({ resource })];
    const before = decodeOurs(records);
    await resource.waitForAsyncAttributes?.();
    expect(countOf(at(before, 'resourceLogs', 0, 'resource'), 'attributes')).toBe(1);
    const after = decodeOurs(records);
    expect(countOf(at(after, 'resourceLogs', 0, 'resource'), 'attributes')).toBe(2);
  });

  it('encodes an empty list as an empty request', () => {
    expect(encodeLogsProtobuf([])).toHaveLength(0);
  });

  it('encodes 1,000 records from 100 nodes like the stock serializer', () => {
    const records = fleetLogRecords(1000, 100);
    const ours = decodeOurs(records);
    expect(countOf(ours, 'resourceLogs')).toBe(100);
    expect(ours).toEqual(decodeStock(records));
  });
});
