import { TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogsJson, encodeLogsProtobuf } from '../../../src/otlp/encode';
import {
  SPAN_ID,
  TRACE_ID,
  everyFieldLogRecords,
  fleetLogRecords,
  realisticLogRecords,
  stockLogsJson,
} from '../../support/otlp-logs-fixtures';
import { normalizeOtlpLogsJson } from '../../support/otlp-logs-json';
import { OTLP_LOGS_SCHEMA, at } from '../../support/otlp-schema';
import type { DecodedMessage } from '../../support/otlp-schema';
import { decodeProtobuf } from '../../support/protobuf-decode';

const REQUEST = 'ExportLogsServiceRequest';

function jsonText(records: readonly ReadableLogRecord[]): string {
  return Buffer.from(encodeLogsJson(records)).toString('utf8');
}

function normalizedOurs(records: readonly ReadableLogRecord[]): DecodedMessage {
  return normalizeOtlpLogsJson(JSON.parse(jsonText(records)), REQUEST);
}

function normalizedStock(records: ReadableLogRecord[]): DecodedMessage {
  return normalizeOtlpLogsJson(stockLogsJson(records), REQUEST);
}

const RESOURCE = resourceFromAttributes({ 'service.name': 'web' });
const SCOPE = { name: 'quasar-tests' };

/** A record with only the fields given, on one shared resource and scope. */
function bareRecord(fields: Partial<ReadableLogRecord>): ReadableLogRecord {
  return {
    hrTime: [0, 0],
    hrTimeObserved: [0, 0],
    resource: RESOURCE,
    instrumentationScope: SCOPE,
    attributes: {},
    droppedAttributesCount: 0,
    ...fields,
  };
}

function onlyRecord(records: readonly ReadableLogRecord[]): unknown {
  const body = JSON.parse(jsonText(records)) as {
    resourceLogs: Array<{ scopeLogs: Array<{ logRecords: unknown[] }> }>;
  };
  return body.resourceLogs[0]?.scopeLogs[0]?.logRecords[0];
}

describe('encodeLogsJson', () => {
  it('encodes the same request as the stock OTel JSON serializer, up to int64 form and defaults', () => {
    const records = realisticLogRecords();
    expect(normalizedOurs(records)).toEqual(normalizedStock(records));
  });

  it('matches the stock serializer on every field and AnyValue kind', () => {
    const records = everyFieldLogRecords();
    expect(normalizedOurs(records)).toEqual(normalizedStock(records));
  });

  it('still tells a changed nanosecond or attribute from the stock request', () => {
    const records = realisticLogRecords();
    const first = records[0] as ReadableLogRecord;
    const later = [
      { ...first, hrTime: [first.hrTime[0], first.hrTime[1] + 1] },
      ...records.slice(1),
    ];
    expect(normalizedOurs(later as ReadableLogRecord[])).not.toEqual(normalizedStock(records));
    const renamed = [{ ...first, attributes: { ...first.attributes, 'http.route': '/x' } }];
    expect(normalizedOurs(renamed)).not.toEqual(normalizedStock([first]));
  });

  it('carries exactly what the protobuf encoding carries', () => {
    for (const records of [realisticLogRecords(), everyFieldLogRecords()]) {
      const protobuf = decodeProtobuf(encodeLogsProtobuf(records), REQUEST, {
        schema: OTLP_LOGS_SCHEMA,
      });
      expect(normalizedOurs(records)).toEqual(protobuf);
    }
  });

  it('writes 64-bit integers as strings, the severity as a number and ids as hex', () => {
    const record = bareRecord({
      hrTime: [1_700_000_000, 5],
      severityNumber: 13,
      attributes: { pid: 4242, big: 2 ** 60 },
      spanContext: {
        traceId: TRACE_ID.toUpperCase(),
        spanId: SPAN_ID,
        traceFlags: TraceFlags.SAMPLED,
      },
    });
    expect(onlyRecord([record])).toEqual({
      timeUnixNano: '1700000000000000005',
      severityNumber: 13,
      attributes: [
        { key: 'pid', value: { intValue: '4242' } },
        { key: 'big', value: { intValue: '1152921504606846976' } },
      ],
      flags: 1,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
    });
  });

  it('writes bytes as base64 and non-finite doubles as the mapping’s strings', () => {
    const record = bareRecord({
      body: Uint8Array.of(0, 1, 254, 255),
      attributes: { nan: Number.NaN, up: Infinity, down: -Infinity },
    });
    expect(onlyRecord([record])).toEqual({
      body: { bytesValue: 'AAH+/w==' },
      attributes: [
        { key: 'nan', value: { doubleValue: 'NaN' } },
        { key: 'up', value: { doubleValue: 'Infinity' } },
        { key: 'down', value: { doubleValue: '-Infinity' } },
      ],
    });
  });

  it('writes arrays and maps, leaving out empty lists as the mapping does', () => {
    const record = bareRecord({ body: { list: [1, null], empty: [], map: {} } });
    expect(onlyRecord([record])).toEqual({
      body: {
        kvlistValue: {
          values: [
            { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, {}] } } },
            { key: 'empty', value: { arrayValue: {} } },
            { key: 'map', value: { kvlistValue: {} } },
          ],
        },
      },
    });
  });

  it('escapes quotes, backslashes and control characters and keeps unicode as UTF-8', () => {
    const text = 'say "hi" C:\\temp\ttab\nline\u0001 ünïcödé 東京 🚀';
    const record = bareRecord({ body: text, eventName: text, attributes: { [text]: text } });
    expect(onlyRecord([record])).toEqual({
      body: { stringValue: text },
      attributes: [{ key: text, value: { stringValue: text } }],
      eventName: text,
    });
    expect(jsonText([record])).toContain('ünïcödé 東京 🚀');
  });

  it('writes only the fields that are set, in any combination, as valid JSON', () => {
    expect(onlyRecord([bareRecord({})])).toEqual({});
    expect(onlyRecord([bareRecord({ eventName: 'e' })])).toEqual({ eventName: 'e' });
    expect(onlyRecord([bareRecord({ hrTimeObserved: [1, 0], droppedAttributesCount: 2 })])).toEqual(
      { droppedAttributesCount: 2, observedTimeUnixNano: '1000000000' },
    );
  });

  it('encodes an empty list as an empty resourceLogs list', () => {
    expect(jsonText([])).toBe('{"resourceLogs":[]}');
  });

  it('encodes 1,000 records from 100 nodes like the stock serializer', () => {
    const records = fleetLogRecords(1000, 100);
    const ours = normalizedOurs(records);
    expect(at(ours, 'resourceLogs')).toHaveLength(100);
    expect(ours).toEqual(normalizedStock(records));
  });
});
