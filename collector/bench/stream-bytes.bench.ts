/**
 * Bytes per SSE client per minute on `/api/pulse/stream` at fleet scale: today's stream (no
 * parameters, the whole fleet every tick) against what the Pulse page asks for (delta events,
 * with summaries or whole nodes), measured in the same run over the same fleet.
 *
 * A real Redis and the built `quasar-collector` process (its default 2 s refresh). The fleet
 * beats like SDK agents at their default 10 s interval: each second a tenth of the nodes is
 * rewritten with moving CPU and memory figures, and a few nodes stop (their key is deleted)
 * while new ones start. Every mode's client listens to the same window, after its first
 * snapshot; the snapshot's own size is printed apart.
 *
 * Run: `npm run bench:stream` (after `npm run build`). NODES, RUNS and WINDOW_S override the
 * sizes. The last stdout line is one JSON object.
 */
import Redis from 'ioredis';
import type { Heartbeat } from '@gravito/quasar/schema';
import { QuasarKeys, heartbeatTtlSeconds } from '@gravito/quasar/schema';
import { startCollectorProcess } from '../../testing/quasar-collector';
import { startRedisServer } from '../../testing/redis-server';
import { templateBeat, writeFleet } from './fleet';
import { meter } from './sse-meter';
import { median, round } from './stats';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const NODES = positiveInt('NODES', 10_000);
const RUNS = positiveInt('RUNS', 3);
const WINDOW_S = positiveInt('WINDOW_S', 30);
const SERVICES = 20;
/** The SDK's default beat interval. */
const INTERVAL_MS = 10_000;
/** Nodes that stop, and as many that start, each second. */
const CHURN_PER_S = 2;

/** The query of each measured mode; `before` is today's stream. */
const MODES = {
  before: '',
  'delta+summary': '?delta=1&fields=summary',
  'delta+full': '?delta=1',
  'summary, no delta': '?fields=summary',
} as const;
type Mode = keyof typeof MODES;

/** Rewrites nodes like beating agents: a tenth per second, figures moving, a few replaced. */
class BeatingFleet {
  private next = 0;
  private born: number;
  private readonly ids: Array<{ service: string; id: string }>;

  constructor(
    private readonly redis: Redis,
    private readonly template: Heartbeat,
  ) {
    this.ids = Array.from({ length: NODES }, (_, i) => ({
      service: `svc-${i % SERVICES}`,
      id: `node-${i}-${1000 + i}`,
    }));
    this.born = NODES;
  }

  async second(): Promise<void> {
    const now = Date.now();
    const ttl = heartbeatTtlSeconds(INTERVAL_MS);
    const pipeline = this.redis.pipeline();
    for (let n = 0; n < CHURN_PER_S; n++) {
      const slot = Math.floor(Math.random() * NODES);
      const gone = this.ids[slot] as { service: string; id: string };
      pipeline.del(QuasarKeys.node(gone.service, gone.id));
      const i = this.born++;
      this.ids[slot] = { service: `svc-${i % SERVICES}`, id: `node-${i}-${1000 + i}` };
    }
    const count = Math.ceil(NODES / (INTERVAL_MS / 1000));
    for (let n = 0; n < count; n++) {
      const { service, id } = this.ids[this.next] as { service: string; id: string };
      this.next = (this.next + 1) % NODES;
      const beat: Heartbeat = {
        ...this.template,
        service,
        id,
        hostname: `host-${id}`,
        timestamp: now,
        cpu: {
          ...this.template.cpu,
          system: round(Math.random() * 100, 2),
          process: round(Math.random() * 100, 2),
        },
        memory: {
          system: { ...this.template.memory.system, used: Math.round(Math.random() * 8e9) },
          process: { ...this.template.memory.process, rss: Math.round(1e8 + Math.random() * 1e8) },
        },
      };
      const key = QuasarKeys.node(service, id);
      pipeline.set(key, JSON.stringify(beat), 'EX', ttl);
      pipeline.zadd(QuasarKeys.nodeIndex, now, key);
    }
    await pipeline.exec();
  }
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const template = { ...(await templateBeat(server.url)), interval: INTERVAL_MS };
  await redis.flushdb();
  await writeFleet(redis, template, NODES, SERVICES);
  const collector = await startCollectorProcess({ redisUrl: server.url, refreshIntervalMs: 2000 });
  const fleet = new BeatingFleet(redis, template);
  let beating = true;
  const beats = (async () => {
    while (beating) {
      const started = Date.now();
      await fleet.second();
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    }
  })();
  const perMinute: Record<Mode, number[]> = {
    before: [],
    'delta+summary': [],
    'delta+full': [],
    'summary, no delta': [],
  };
  const snapshots: Record<Mode, number[]> = {
    before: [],
    'delta+summary': [],
    'delta+full': [],
    'summary, no delta': [],
  };
  const ticks: number[] = [];
  try {
    console.log(
      `SSE bytes per client per minute, ${NODES} nodes, ${WINDOW_S} s windows, median of ${RUNS} runs`,
    );
    for (let run = 0; run < RUNS; run++) {
      const meters = Object.entries(MODES).map(([mode, query]) => ({
        mode: mode as Mode,
        meter: meter(`${collector.url}/api/pulse/stream${query}`),
      }));
      for (const { mode, meter: m } of meters) snapshots[mode].push(await m.first);
      // Counting starts together, once every client holds its snapshot.
      const base = meters.map(({ meter: m }) => ({
        bytes: m.bytesAfterFirst(),
        events: m.eventsAfterFirst(),
      }));
      await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
      meters.forEach(({ mode, meter: m }, i) => {
        perMinute[mode].push(((m.bytesAfterFirst() - (base[i]?.bytes ?? 0)) * 60) / WINDOW_S);
        if (mode === 'before')
          ticks.push(((m.eventsAfterFirst() - (base[i]?.events ?? 0)) * 60) / WINDOW_S);
        m.close();
      });
      console.log(
        `run ${run + 1}: ${meters.map(({ mode }) => `${mode} ${round((perMinute[mode].at(-1) ?? 0) / 1e6, 2)} MB/min`).join(', ')}`,
      );
    }
  } finally {
    beating = false;
    await beats;
    await collector.stop();
    await redis.quit();
    await server.stop();
  }
  const before = median(perMinute.before);
  const ticksPerMin = median(ticks);
  const rows = Object.keys(MODES).map((key) => {
    const mode = key as Mode;
    const bytes = median(perMinute[mode]);
    return {
      mode,
      mb_per_client_min: round(bytes / 1e6, 3),
      bytes_per_node_tick: round(bytes / ticksPerMin / NODES, 1),
      snapshot_mb: round(median(snapshots[mode]) / 1e6, 2),
      ratio_to_before: round(bytes / before, 4),
    };
  });
  for (const row of rows) {
    console.log(
      `${row.mode.padEnd(18)} ${String(row.mb_per_client_min).padStart(9)} MB/client/min  ${String(row.bytes_per_node_tick).padStart(7)} B/node/tick  first snapshot ${row.snapshot_mb} MB  ×${row.ratio_to_before} of before`,
    );
  }
  console.log(
    JSON.stringify({
      nodes: NODES,
      window_s: WINDOW_S,
      runs: RUNS,
      ticks_per_min: round(ticksPerMin, 1),
      rows,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
