/** A replica exports the slow-duration histograms of the services it owns, and only those. */
import { DurationHistograms } from '../../src/slowlog/duration-histograms';
import type { HistogramNode } from '../../src/slowlog/duration-histograms';
import { slowRequest } from './consumer-fixture';

const T0 = 1_700_000_000_000;

function node(service: string, id: string): HistogramNode {
  return {
    service,
    nodeKey: `${service}/${id}`,
    attributes: { 'service.name': service, 'service.instance.id': id },
    known: true,
  };
}

const servicesOf = (h: DurationHistograms, owns?: (service: string) => boolean) =>
  h.resources(T0, owns).map((r) => r.attributes['service.name'] ?? '(none)');

describe('DurationHistograms of owned services', () => {
  it('exports only the resources of the services the filter accepts', () => {
    const h = new DurationHistograms();
    h.record(node('checkout', 'web-1'), slowRequest(), T0);
    h.record(node('billing', 'api-1'), slowRequest(), T0);
    expect(servicesOf(h).sort()).toEqual(['billing', 'checkout']);
    expect(servicesOf(h, (s) => s === 'checkout')).toEqual(['checkout']);
    expect(servicesOf(h, () => false)).toEqual([]);
  });

  it('keeps counting what it does not export, and forgets it after the retention all the same', () => {
    const h = new DurationHistograms(60_000);
    h.record(node('billing', 'api-1'), slowRequest(), T0);
    expect(h.resources(T0, () => false)).toEqual([]);
    expect(h.total).toBe(1);
    expect(h.resources(T0 + 60_001, () => false)).toEqual([]);
    expect(h.series).toBe(0);
  });

  it('exports the last overflow, which belongs to no service, whatever the filter', () => {
    const h = new DurationHistograms(Infinity, { maxSeries: 1 });
    h.record(node('checkout', 'web-1'), slowRequest(), T0);
    h.record(node('checkout', 'web-1'), slowRequest({ route: '/other' }), T0);
    const resources = h.resources(T0, () => false);
    expect(resources.map((r) => r.attributes)).toEqual([{}]);
  });
});
