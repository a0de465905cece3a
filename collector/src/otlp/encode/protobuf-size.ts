/**
 * A quick estimate of a batch's protobuf size, so the output buffer is allocated once.
 * Growing a 20 MB buffer means a second, larger allocation and a full copy, and the external
 * memory it adds is what drives V8 into a full GC mid-cycle.
 */
import type { MetricAttributes, MetricBatch, ResourceBlock } from '../metric-batch';
import { isHistogramData } from './encodable';
import { descriptorBytes } from './protobuf-cache';

// Key, length and body overhead of the messages around the data (generous on purpose).
const RESOURCE_OVERHEAD = 24;
const METRIC_OVERHEAD = 8;
/** Key and length, time and value, each 1 + 8 bytes; a start time adds another 9. */
const NUMBER_POINT = 2 + 2 * 9;
const START_TIME = 9;
/** Key and length, two timestamps, count, sum, min, max, two packed-field headers. */
const HISTOGRAM_POINT = 3 + 6 * 9 + 6;
const ATTRIBUTE_OVERHEAD = 8;
const NUMBER_VALUE = 10;

function attributesSize(attributes: MetricAttributes | undefined): number {
  let size = 0;
  for (const key in attributes) {
    const value = attributes[key];
    // UTF-16 length is the UTF-8 length for ASCII; other text may make the buffer grow once.
    size += key.length + ATTRIBUTE_OVERHEAD;
    size += typeof value === 'string' ? value.length : NUMBER_VALUE;
  }
  return size;
}

/** Resources measured per batch; past this, an evenly spread sample stands for the rest. */
const SAMPLE_RESOURCES = 128;
/** Headroom over the sampled average, so a sample of slightly small resources still fits. */
const SAMPLE_HEADROOM = 1.1;

function resourceSize(resource: ResourceBlock): number {
  let size = RESOURCE_OVERHEAD + attributesSize(resource.attributes);
  size += resource.scope.name.length + resource.scope.version.length;
  for (const metric of resource.metrics) {
    const bytes = descriptorBytes(metric.descriptor);
    size += METRIC_OVERHEAD + bytes.head.length + bytes.tail.length;
    if (isHistogramData(metric)) {
      for (const point of metric.points) {
        size += HISTOGRAM_POINT + attributesSize(point.attributes);
        size += 8 * (point.explicitBounds.length + point.bucketCounts.length);
      }
    } else {
      for (const point of metric.points) {
        size += NUMBER_POINT + attributesSize(point.attributes);
        if (point.startTimeMs !== undefined) size += START_TIME;
      }
    }
  }
  return size;
}

/**
 * Estimated bytes of `encodeMetricsProtobuf(batch)`: close for ASCII text, and from a sample
 * of resources when the batch is large (measuring all 10,000 costs more than it saves). An
 * estimate that falls short only costs one growth of the buffer.
 */
export function estimateProtobufSize(batch: MetricBatch): number {
  // A lazy batch cannot be sampled: start at 1 MB and let the buffer grow (once; after that
  // the exporter hands the grown buffer back for reuse).
  if (!Array.isArray(batch.resources)) return 1 << 20;
  const resources = batch.resources as readonly ResourceBlock[];
  const count = resources.length;
  if (count <= SAMPLE_RESOURCES) {
    let size = 0;
    for (const resource of resources) size += resourceSize(resource);
    return size;
  }
  const stride = count / SAMPLE_RESOURCES;
  let sampled = 0;
  for (let i = 0; i < SAMPLE_RESOURCES; i++) {
    sampled += resourceSize(resources[Math.floor(i * stride)] as ResourceBlock);
  }
  return Math.ceil((sampled / SAMPLE_RESOURCES) * count * SAMPLE_HEADROOM);
}
