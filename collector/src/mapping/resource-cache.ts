/**
 * Keeps each node's resource attributes as one object across cycles while its identity is
 * unchanged, so the encoder can reuse their bytes (it caches by identity), and the slow log
 * and the metrics share the same resource.
 */
import { resourceAttributesOf } from '@gravito/quasar';
import type { Heartbeat } from '@gravito/quasar/schema';
import type { MetricAttributes } from '../otlp/metric-batch';

/** The fields `resourceAttributesOf` reads: kept instead of the beat, which may be large. */
type Identity = Pick<
  Heartbeat,
  'service' | 'id' | 'hostname' | 'pid' | 'language' | 'version' | 'platform'
>;

interface Entry {
  from: Identity;
  attributes: MetricAttributes;
  /** The last cycle (see `rotate`) that asked for it. */
  cycle: number;
}

const identityOf = (hb: Heartbeat): Identity => ({
  service: hb.service,
  id: hb.id,
  hostname: hb.hostname,
  pid: hb.pid,
  language: hb.language,
  version: hb.version,
  platform: hb.platform,
});

/** Whether a beat describes the same resource as the one the attributes were built from. */
const sameIdentity = (a: Identity, b: Heartbeat) =>
  a.service === b.service &&
  a.id === b.id &&
  a.hostname === b.hostname &&
  a.pid === b.pid &&
  a.language === b.language &&
  a.version === b.version &&
  a.platform === b.platform;

export class ResourceCache {
  // One map stamped per cycle rather than a fresh map each cycle: at 50,000 nodes, a map
  // rebuilt every cycle is 50,000 inserts and a table promoted to the old generation each time.
  private readonly entries = new Map<string, Entry>();
  private cycle = 0;

  /** The node's attributes: the same object as last cycle unless its identity changed. */
  attributesOf(nodeKey: string, heartbeat: Heartbeat): MetricAttributes {
    let entry = this.entries.get(nodeKey);
    if (!entry || !sameIdentity(entry.from, heartbeat)) {
      entry = {
        from: identityOf(heartbeat),
        attributes: Object.freeze({ ...(resourceAttributesOf(heartbeat) as MetricAttributes) }),
        cycle: this.cycle,
      };
      this.entries.set(nodeKey, entry);
    }
    entry.cycle = this.cycle;
    return entry.attributes;
  }

  /** Ends a cycle: nodes not asked for since the last call are dropped. */
  rotate(): void {
    for (const [key, entry] of this.entries) {
      if (entry.cycle !== this.cycle) this.entries.delete(key);
    }
    this.cycle++;
  }
}
