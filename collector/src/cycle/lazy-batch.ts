/**
 * A metrics batch whose node resources are built while the encoder walks it, one at a time,
 * so each dies young instead of a whole cycle's worth being promoted and collected in full.
 * It counts its points as it goes; exporters read the count after serializing.
 */
import type { MetricBatch, ResourceBlock } from '../otlp/metric-batch';

export class LazyBatch implements MetricBatch {
  private counted = 0;

  constructor(private readonly build: () => Iterable<ResourceBlock>) {}

  get resources(): Iterable<ResourceBlock> {
    return { [Symbol.iterator]: () => this.walk() };
  }

  private *walk(): Generator<ResourceBlock> {
    this.counted = 0;
    for (const resource of this.build()) {
      for (const metric of resource.metrics) this.counted += metric.points.length;
      yield resource;
    }
  }

  /** Points yielded by the last complete walk. */
  get pointCount(): number {
    return this.counted;
  }
}
