/**
 * A metrics batch whose node resources are built while the encoder walks it, one at a time,
 * so each dies young instead of a whole cycle's worth being promoted and collected in full.
 * It does not count its points: the encoder does, per request, as it writes each resource.
 */
import type { MetricBatch, ResourceBlock } from '../otlp/metric-batch';

export class LazyBatch implements MetricBatch {
  constructor(private readonly build: () => Iterable<ResourceBlock>) {}

  get resources(): Iterable<ResourceBlock> {
    return { [Symbol.iterator]: () => this.build()[Symbol.iterator]() };
  }
}
