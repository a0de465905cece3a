/**
 * Properties of the delta stream over generated fleet histories (fast-check): a client that
 * applies the first snapshot and then every delta holds exactly the snapshot a new client would
 * get, whatever the filter; and an unchanged fleet costs a delta far smaller than a snapshot.
 */
import fc from 'fast-check';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { fuzzParameters } from '../../../testing/fuzz';
import type { PulseSnapshot } from '../../src/cycle/pulse-state';
import type { QueueView, ServiceQueues } from '../../src/mapping/queues';
import type { NodeView } from '../../src/nodes/node-view';
import { PulseJson } from '../../src/api/node-json';
import { pulseFilterOf } from '../../src/api/pulse-filter';
import type { PulseFilter, PulseQuerystring } from '../../src/api/pulse-filter';
import { ChangeTracker, deltaEvent } from '../../src/api/stream-changes';
import { original } from '../support/fixtures';

const SERVICES = ['api', 'billing', '__proto__'] as const;
const STATUSES = ['online', 'stale', 'offline'] as const;

/** One node at one tick: absent, or present with a beat version and a status. */
type NodeState = { beat: number; status: (typeof STATUSES)[number] } | null;
/** One tick: the state of every node of the pool, and a queue version per service (0: none). */
interface Tick {
  nodes: NodeState[];
  queues: number[];
}

const POOL = 12;
const nodeState = fc.option(
  fc.record({ beat: fc.integer({ min: 0, max: 3 }), status: fc.constantFrom(...STATUSES) }),
  { nil: null, freq: 4 },
);
const tick = fc.record({
  nodes: fc.array(nodeState, { minLength: POOL, maxLength: POOL }),
  queues: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
});
const query: fc.Arbitrary<PulseQuerystring> = fc.record(
  {
    service: fc.oneof(fc.constantFrom(...SERVICES), fc.subarray([...SERVICES], { minLength: 1 })),
    status: fc.oneof(fc.constantFrom(...STATUSES), fc.subarray([...STATUSES], { minLength: 1 })),
    q: fc.constantFrom('api', 'HOST-1', 'node-1', 'zzz'),
    fields: fc.constantFrom('full' as const, 'summary' as const),
  },
  { requiredKeys: [] },
);

/**
 * Builds snapshots the way the registry does: a node's heartbeat object is kept while its beat is
 * unchanged, and a new object stands for a new beat.
 */
class FleetHistory {
  private readonly beats = new Map<string, { beat: number; heartbeat: Heartbeat }>();
  private cycle = 0;

  snapshot(t: Tick): PulseSnapshot {
    this.cycle++;
    const serverTimeMs = 1_700_000_000_000 + this.cycle * 2000;
    const nodes: NodeView[] = [];
    t.nodes.forEach((state, i) => {
      if (state === null) return;
      const service = SERVICES[i % SERVICES.length] as string;
      const id = `node-${i}`;
      const key = QuasarKeys.node(service, id);
      let kept = this.beats.get(key);
      if (kept?.beat !== state.beat) {
        const heartbeat = original(
          'nodeBun',
          { service, id, hostname: `host-${i}`, cpu: { system: state.beat, process: 1, cores: 2 } },
          serverTimeMs,
        );
        kept = { beat: state.beat, heartbeat };
        this.beats.set(key, kept);
      }
      // Age and the pttl-derived beat time move every tick, as they do on a real Redis.
      nodes.push({
        key,
        heartbeat: kept.heartbeat,
        status: state.status,
        ageMs: this.cycle * 7,
        beatAtMs: serverTimeMs - this.cycle * 7 + (this.cycle % 3),
      });
    });
    const queues: ServiceQueues[] = [];
    t.queues.forEach((version, i) => {
      if (version === 0) return;
      const queue = {
        name: 'q',
        driver: 'bullmq',
        size: { waiting: version },
        observedAt: 1,
        source: 'hash',
      };
      queues.push({ service: SERVICES[i] as string, queues: [queue as QueueView] });
    });
    return { cycle: this.cycle, serverTimeMs, nodes, queues };
  }
}

interface EventData {
  nodes: Record<string, Array<{ id: string }>>;
  queues: Record<string, unknown>;
}
interface DeltaData extends EventData {
  left: Record<string, string[]>;
  queuesLeft: string[];
}

/** What a client holds: node JSON by `service/id`, queue JSON by service. */
interface ClientView {
  nodes: Map<string, string>;
  queues: Map<string, string>;
}

function viewOf(data: EventData): ClientView {
  const view: ClientView = { nodes: new Map(), queues: new Map() };
  apply(view, { ...data, left: {}, queuesLeft: [] });
  return view;
}

function apply(view: ClientView, delta: DeltaData): void {
  for (const [service, ids] of Object.entries(delta.left)) {
    for (const id of ids) view.nodes.delete(`${service}/${id}`);
  }
  for (const [service, nodes] of Object.entries(delta.nodes)) {
    for (const node of nodes) view.nodes.set(`${service}/${node.id}`, JSON.stringify(node));
  }
  for (const service of delta.queuesLeft) view.queues.delete(service);
  for (const [service, queues] of Object.entries(delta.queues)) {
    view.queues.set(service, JSON.stringify(queues));
  }
}

const sorted = (view: ClientView) => ({
  nodes: [...view.nodes].sort(),
  queues: [...view.queues].sort(),
});

describe('the delta stream', () => {
  it('rebuilds exactly the snapshot a new client gets, for any filter and history', () => {
    fc.assert(
      fc.property(query, fc.array(tick, { minLength: 2, maxLength: 8 }), (q, ticks) => {
        const json = new PulseJson();
        const tracker = new ChangeTracker(json);
        const history = new FleetHistory();
        const filter: PulseFilter = pulseFilterOf(q, true);
        const first = history.snapshot(ticks[0] as Tick);
        tracker.baseline(first);
        const client = viewOf(JSON.parse(json.filteredEvent(first, filter, true)) as EventData);
        for (const t of ticks.slice(1)) {
          const snapshot = history.snapshot(t);
          const changes = tracker.advance(snapshot);
          expect(changes).toBeDefined();
          apply(client, JSON.parse(deltaEvent(json, changes!, filter)) as DeltaData);
          const fresh = viewOf(JSON.parse(json.filteredEvent(snapshot, filter, true)) as EventData);
          expect(sorted(client)).toEqual(sorted(fresh));
        }
      }),
      fuzzParameters(),
    );
  });

  it('sends far less than a snapshot while the fleet is unchanged, and no ageMs', () => {
    fc.assert(
      fc.property(tick, query, (t, q) => {
        const json = new PulseJson();
        const tracker = new ChangeTracker(json);
        const history = new FleetHistory();
        const filter = pulseFilterOf(
          { ...q, service: undefined, status: undefined, q: undefined },
          true,
        );
        const first = history.snapshot(t);
        tracker.baseline(first);
        const full = json.filteredEvent(first, filter, true);
        const delta = deltaEvent(json, tracker.advance(history.snapshot(t))!, filter);
        expect(JSON.parse(delta)).toMatchObject({
          nodes: {},
          left: {},
          queues: {},
          queuesLeft: [],
        });
        expect(delta.length).toBeLessThan(full.length);
        expect(full).not.toContain('"ageMs"');
      }),
      fuzzParameters(),
    );
  });
});
