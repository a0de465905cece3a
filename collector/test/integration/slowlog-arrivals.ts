/**
 * What the receivers of several collector replicas got of the slow log: every log record, by the
 * number its entry was written with, and every export of a `quasar.slow.duration` resource, by
 * replica, so a test can tell what arrived twice and who wrote each service's histograms when.
 */
import { attributeMap } from '../../../testing/otlp-receiver';
import type {
  OtlpAttribute,
  OtlpLogsRequest,
  OtlpReceiver,
  ReceivedRequest,
} from '../../../testing/otlp-receiver';

/** The log attribute carrying the stream entry id. */
export const ENTRY_ID = 'quasar.slow.entry_id';
const SLOW_DURATION = 'quasar.slow.duration';

/** One log record of one entry, as one replica exported it. */
export interface SlowArrival {
  readonly replica: string;
  readonly service: string;
  /** Its `quasar.slow.entry_id`, undefined when the record carries none. */
  readonly entryId: string | undefined;
}

/** One export of a slow-duration resource by one replica, at its arrival. */
export interface HistogramExport {
  readonly replica: string;
  readonly service: string;
  readonly t: number;
}

interface MetricsBody {
  resourceMetrics?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeMetrics?: Array<{ metrics?: Array<{ name: string }> }>;
  }>;
}

export class SlowLogArrivals {
  /** Entry number → its copies, in arrival order. */
  readonly byNumber = new Map<number, SlowArrival[]>();
  readonly histograms: HistogramExport[] = [];
  /** Records whose name carried no entry number: none is expected. */
  unnumbered = 0;
  private readonly receivers = new Map<string, OtlpReceiver>();

  /** @param numberOf - the entry number a record's `quasar.slow.name` carries, if any. */
  constructor(private readonly numberOf: (name: string) => number | undefined) {}

  /** Follows `receiver` as the receiver of replica `replica`. */
  follow(replica: string, receiver: OtlpReceiver): void {
    this.receivers.set(replica, receiver);
  }

  /** Moves what the receivers got since the last call in. */
  collect(): void {
    for (const [replica, receiver] of this.receivers) {
      for (const request of receiver.take()) {
        if (request.signal === 'logs') this.addLogs(replica, request);
        else this.addMetrics(replica, request);
      }
    }
  }

  /** How many entry numbers arrived at least once. */
  get distinct(): number {
    return this.byNumber.size;
  }

  /** How many records arrived, copies included. */
  get records(): number {
    let n = 0;
    for (const copies of this.byNumber.values()) n += copies.length;
    return n;
  }

  /** How many copies of what arrived were not its first. */
  get duplicates(): number {
    return this.records - this.distinct;
  }

  /** Service → the replicas that exported its slow durations within [from, to). */
  histogramWritersIn(from: number, to: number): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const h of this.histograms) {
      if (h.t < from || h.t >= to) continue;
      let writers = out.get(h.service);
      if (!writers) out.set(h.service, (writers = new Set()));
      writers.add(h.replica);
    }
    return out;
  }

  private addLogs(replica: string, request: ReceivedRequest): void {
    for (const rl of (request.json as OtlpLogsRequest | undefined)?.resourceLogs ?? []) {
      const service = String(attributeMap(rl.resource?.attributes)['service.name']);
      for (const sl of rl.scopeLogs ?? []) {
        for (const record of sl.logRecords ?? []) {
          const attributes = attributeMap(record.attributes);
          const n = this.numberOf(String(attributes['quasar.slow.name']));
          if (n === undefined) {
            this.unnumbered++;
            continue;
          }
          const id = attributes[ENTRY_ID];
          const arrival = { replica, service, entryId: typeof id === 'string' ? id : undefined };
          const copies = this.byNumber.get(n);
          if (copies) copies.push(arrival);
          else this.byNumber.set(n, [arrival]);
        }
      }
    }
  }

  private addMetrics(replica: string, request: ReceivedRequest): void {
    for (const rm of (request.json as MetricsBody | undefined)?.resourceMetrics ?? []) {
      const names = (rm.scopeMetrics ?? []).flatMap((sm) => (sm.metrics ?? []).map((m) => m.name));
      if (!names.includes(SLOW_DURATION)) continue;
      const service = String(attributeMap(rm.resource?.attributes)['service.name']);
      this.histograms.push({ replica, service, t: request.receivedAt });
    }
  }
}
