/**
 * Encoding cost of slow-log exports: 20,000 log records from 100 nodes, sent as 20 batches of
 * 1,000 (the batch processor's default export size), through the stock otlp-transformer
 * serializers and through the collector's encoders. Each variant runs as its own block (heap
 * collected first, then warm-up, then timed runs back to back) so it pays for its own garbage;
 * one run encodes all 20 batches, and figures are medians. The last line is one JSON object
 * for scripts.
 *
 * Run from the repo root: `npx tsx collector/bench/logs-encode.bench.ts [records] [runs]`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogsJson, encodeLogsProtobuf } from '../src/otlp/encode';
import type { ScratchBuffer } from '../src/otlp/encode/scratch-buffer';
import { fleetLogRecords } from '../test/support/otlp-logs-fixtures';
import { median } from './stats';

const RECORDS = Number(process.argv[2] ?? 20_000);
const RUNS = Math.max(5, Number(process.argv[3] ?? 15));
const BATCH = 1000;
const NODES = 100;
const WARM_UP_RUNS = 3;

// A fresh context's `gc` is the only way to collect between runs without a node flag.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const VARIANT_NAMES = [
  'stockProtobuf',
  'oursProtobuf',
  'oursProtobufReused',
  'stockJson',
  'oursJson',
] as const;
type Variant = (typeof VARIANT_NAMES)[number];
type Encode = (batch: ReadableLogRecord[]) => Uint8Array | undefined;

function encoders(): Record<Variant, Encode> {
  const scratch: ScratchBuffer = { buffer: undefined };
  return {
    stockProtobuf: (batch) => ProtobufLogsSerializer.serializeRequest(batch),
    oursProtobuf: (batch) => encodeLogsProtobuf(batch),
    oursProtobufReused: (batch) => encodeLogsProtobuf(batch, scratch),
    stockJson: (batch) => JsonLogsSerializer.serializeRequest(batch),
    oursJson: (batch) => encodeLogsJson(batch),
  };
}

/** Encodes every batch once; returns the bytes written. */
function runOnce(encode: Encode, batches: readonly ReadableLogRecord[][]): number {
  let bytes = 0;
  for (const batch of batches) bytes += encode(batch)?.length ?? 0;
  return bytes;
}

function main(): void {
  const records = fleetLogRecords(RECORDS, NODES);
  const batches: ReadableLogRecord[][] = [];
  for (let i = 0; i < records.length; i += BATCH) batches.push(records.slice(i, i + BATCH));
  const encode = encoders();
  const times = {} as Record<Variant, number[]>;
  const bytes = {} as Record<Variant, number>;
  for (const name of VARIANT_NAMES) {
    times[name] = [];
    collectGarbage();
    // Untimed runs warm the JIT and the encoders' resource and scope caches.
    for (let i = 0; i < WARM_UP_RUNS; i++) bytes[name] = runOnce(encode[name], batches);
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      runOnce(encode[name], batches);
      times[name].push(performance.now() - start);
    }
  }
  const ms = Object.fromEntries(VARIANT_NAMES.map((n) => [n, median(times[n])])) as Record<
    Variant,
    number
  >;
  const usPerRecord = (variant: Variant): number => (ms[variant] * 1000) / records.length;
  const fixed = (value: number, digits = 1): number => Number(value.toFixed(digits));

  const out = process.stdout;
  out.write(
    `${records.length} records from ${NODES} nodes in ${batches.length} batches of ${BATCH}, ` +
      `median of ${RUNS} runs, node ${process.version}\n\n`,
  );
  out.write(`${'variant'.padEnd(20)} median ms  µs/record      bytes   all runs (ms)\n`);
  for (const name of VARIANT_NAMES) {
    const runs = times[name].map((t) => t.toFixed(0)).join(' ');
    out.write(
      `${name.padEnd(20)} ${ms[name].toFixed(1).padStart(9)} ${usPerRecord(name).toFixed(2).padStart(10)} ` +
        `${String(bytes[name]).padStart(10)}   ${runs}\n`,
    );
  }
  out.write(
    `\nours/stock time: protobuf ${(ms.oursProtobuf / ms.stockProtobuf).toFixed(2)}, ` +
      `json ${(ms.oursJson / ms.stockJson).toFixed(2)}\n`,
  );
  out.write(
    `${JSON.stringify({
      records: records.length,
      nodes: NODES,
      batch: BATCH,
      runs: RUNS,
      stockProtobufMs: fixed(ms.stockProtobuf),
      oursProtobufMs: fixed(ms.oursProtobuf),
      oursProtobufReusedMs: fixed(ms.oursProtobufReused),
      stockJsonMs: fixed(ms.stockJson),
      oursJsonMs: fixed(ms.oursJson),
      stockProtobufUsPerRecord: fixed(usPerRecord('stockProtobuf'), 3),
      oursProtobufUsPerRecord: fixed(usPerRecord('oursProtobuf'), 3),
      stockJsonUsPerRecord: fixed(usPerRecord('stockJson'), 3),
      oursJsonUsPerRecord: fixed(usPerRecord('oursJson'), 3),
      stockProtobufBytes: bytes.stockProtobuf,
      oursProtobufBytes: bytes.oursProtobuf,
      stockJsonBytes: bytes.stockJson,
      oursJsonBytes: bytes.oursJson,
      protobufRatio: fixed(ms.oursProtobuf / ms.stockProtobuf, 3),
      jsonRatio: fixed(ms.oursJson / ms.stockJson, 3),
    })}\n`,
  );
}

main();
