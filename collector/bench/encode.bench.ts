/**
 * Encoding cost of one 10,000-node export: the stock OTel JS path (SDK `ResourceMetrics`
 * built from the batch, then otlp-transformer's serializers) against the collector's
 * hand-written encoders. Each variant runs as its own block (heap collected first, then
 * warm-up, then timed runs back to back), so it pays for its own garbage and nobody else's,
 * as it would in a collector that encodes one batch per cycle; figures are medians. The stock
 * serializers alone (SDK objects built beforehand) are shown for reference. The last line is
 * one JSON object for scripts.
 *
 * Run from the repo root: `npx tsx collector/bench/encode.bench.ts [nodes] [runs]`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { encodeMetricsJson, encodeMetricsProtobuf } from '../src/otlp/encode';
import type { MetricBatch } from '../src/otlp/metric-batch';
import { countPoints } from '../src/otlp/metric-batch';
import { NODE_GAUGES, nodeBatch } from '../test/support/metric-batch-fixtures';
import { toSdkResourceMetrics } from '../test/support/stock-otlp';

const NODES = Number(process.argv[2] ?? 10_000);
const RUNS = Math.max(5, Number(process.argv[3] ?? 9));
const WARM_UP_RUNS = 2;

// A fresh context's `gc` is the only way to collect between runs without a node flag.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The stock serializers take one `ResourceMetrics` per call, so a many-resource request is
 * the concatenation of per-resource requests (valid protobuf: repeated fields merge).
 */
function serializeStockProtobuf(resourceMetrics: readonly ResourceMetrics[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const rm of resourceMetrics) {
    const bytes = ProtobufMetricsSerializer.serializeRequest(rm);
    if (bytes !== undefined) parts.push(bytes);
  }
  return Buffer.concat(parts);
}

const JSON_OPEN = Buffer.from('{"resourceMetrics":[');
const JSON_CLOSE = Buffer.from(']}');
const COMMA = Buffer.from(',');

/** Per-resource stock JSON, stitched into one `resourceMetrics` array without re-parsing. */
function serializeStockJson(resourceMetrics: readonly ResourceMetrics[]): Uint8Array {
  const parts: Uint8Array[] = [JSON_OPEN];
  for (const rm of resourceMetrics) {
    const bytes = JsonMetricsSerializer.serializeRequest(rm);
    if (bytes === undefined) continue;
    if (parts.length > 1) parts.push(COMMA);
    parts.push(bytes.subarray(JSON_OPEN.length, bytes.length - JSON_CLOSE.length));
  }
  parts.push(JSON_CLOSE);
  return Buffer.concat(parts);
}

const VARIANT_NAMES = [
  'stockProtobuf',
  'stockJson',
  'oursProtobuf',
  'oursJson',
  'stockProtobufSerializeOnly',
  'stockJsonSerializeOnly',
] as const;
type Variant = (typeof VARIANT_NAMES)[number];

/** Each variant as a thunk over one batch; the stock ones include building the SDK objects. */
function variants(batch: MetricBatch): Record<Variant, () => Uint8Array> {
  const prebuilt = toSdkResourceMetrics(batch);
  return {
    stockProtobuf: () => serializeStockProtobuf(toSdkResourceMetrics(batch)),
    stockJson: () => serializeStockJson(toSdkResourceMetrics(batch)),
    oursProtobuf: () => encodeMetricsProtobuf(batch),
    oursJson: () => encodeMetricsJson(batch),
    stockProtobufSerializeOnly: () => serializeStockProtobuf(prebuilt),
    stockJsonSerializeOnly: () => serializeStockJson(prebuilt),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function main(): void {
  const batch = nodeBatch(NODES);
  const run = variants(batch);
  const names = VARIANT_NAMES;
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<
    Variant,
    number[]
  >;
  const bytes = {} as Record<Variant, number>;
  for (const name of names) {
    collectGarbage();
    // Untimed runs warm the JIT and the encoders' caches.
    for (let i = 0; i < WARM_UP_RUNS; i++) bytes[name] = run[name]().length;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      run[name]();
      times[name].push(performance.now() - start);
    }
  }
  const ms = Object.fromEntries(names.map((n) => [n, median(times[n])])) as Record<Variant, number>;
  const fixed = (value: number, digits = 1): number => Number(value.toFixed(digits));

  const out = process.stdout;
  out.write(
    `${NODES} resources x ${NODE_GAUGES.length} gauges = ${countPoints(batch)} points, ` +
      `median of ${RUNS} runs, node ${process.version}\n\n`,
  );
  out.write(`${'variant'.padEnd(27)} median ms      bytes   all runs (ms)\n`);
  for (const name of names) {
    const runs = times[name].map((t) => t.toFixed(0)).join(' ');
    out.write(
      `${name.padEnd(27)} ${ms[name].toFixed(1).padStart(9)} ${String(bytes[name]).padStart(10)}   ${runs}\n`,
    );
  }
  out.write(
    `\nours/stock time: protobuf ${(ms.oursProtobuf / ms.stockProtobuf).toFixed(2)}, ` +
      `json ${(ms.oursJson / ms.stockJson).toFixed(2)}\n`,
  );
  out.write(
    `${JSON.stringify({
      nodes: NODES,
      points: countPoints(batch),
      runs: RUNS,
      stockProtobufMs: fixed(ms.stockProtobuf),
      stockJsonMs: fixed(ms.stockJson),
      stockProtobufSerializeOnlyMs: fixed(ms.stockProtobufSerializeOnly),
      stockJsonSerializeOnlyMs: fixed(ms.stockJsonSerializeOnly),
      oursProtobufMs: fixed(ms.oursProtobuf),
      oursJsonMs: fixed(ms.oursJson),
      stockProtobufBytes: bytes.stockProtobuf,
      stockJsonBytes: bytes.stockJson,
      oursProtobufBytes: bytes.oursProtobuf,
      oursJsonBytes: bytes.oursJson,
      protobufRatio: fixed(ms.oursProtobuf / ms.stockProtobuf, 3),
      jsonRatio: fixed(ms.oursJson / ms.stockJson, 3),
    })}\n`,
  );
}

main();
