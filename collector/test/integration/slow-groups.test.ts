/**
 * The slow-log groups end to end: entries with known durations written to the real streams,
 * consumed by a collector run (the same read that exports their log records), served by the
 * API. Counts, max and last seen are exact; p50 and p95 within the stated bound of the exact
 * nearest-rank quantiles; a flood of distinct names leaves the bounded number of groups, its
 * evictions counted in `/metrics`; hostile names come back as the data they are.
 */
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import fc from 'fast-check';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import type { SlowEntry } from '@gravito/quasar/schema';
import { SLOW_FIELD_MAX_LENGTH } from '@gravito/quasar/schema';
import { buildApp } from '../../src/api/app';
import { COLLECTOR_DEFAULTS } from '../../src/config/options';
import { QuasarCollector } from '../../src/cycle/quasar-collector';
import { renderPrometheus } from '../../src/self/prometheus-text';
import { statsFamilies } from '../../src/self/stats';
import { QUANTILE_RELATIVE_ERROR } from '../../src/slowlog/groups/log-buckets';
import type { SlowGroupSummary } from '../../src/slowlog/groups/slow-group';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { httpGet } from '../api/pulse-fixture';
import { parsePrometheus, sampleValue } from '../self/prometheus-parse';
import { appendEntries, slowJob, slowRequest } from '../slowlog/consumer-fixture';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const TOKEN = 'slow-groups-token';
const LIMITS = { maxGroups: 50, maxGroupsPerService: 20 };

interface GroupsBody {
  groups: SlowGroupSummary[];
  total: number;
  scope: { replica: string; services: string[] };
}

/** The exact nearest-rank quantile of `values`. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describeWithRedis('slow-log groups from the streams to the API', () => {
  let receiver: OtlpReceiver;
  let redis: Redis;
  let blockingRedis: Redis;
  let logExporter: OTLPLogExporter;
  let collector: QuasarCollector;
  let get: <T>(path: string) => Promise<{ status: number; body: T }>;
  let closeApp: () => Promise<void>;
  const now = Date.now();
  /** Durations written per group, by `service/kind/name`. */
  const written = new Map<string, { durations: number[]; lastSeen: number }>();
  const HTML = '<img src=x onerror="alert(1)">';
  const LONG = `GET /${'y'.repeat(SLOW_FIELD_MAX_LENGTH + 100)}`;

  async function write(service: string, entries: SlowEntry[]): Promise<void> {
    await appendEntries(redis, service, entries);
    for (const entry of entries) {
      const key = `${service}/${entry.kind}/${entry.name.slice(0, SLOW_FIELD_MAX_LENGTH)}`;
      const group = written.get(key) ?? { durations: [], lastSeen: 0 };
      group.durations.push(entry.durationMs);
      group.lastSeen = Math.max(group.lastSeen, entry.timestamp);
      written.set(key, group);
    }
  }

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const url = await claimDatabase();
    redis = new Redis(url);
    blockingRedis = new Redis(url);
    await redis.flushdb();

    // Durations from a fixed seed, over four orders of magnitude, fractional ones included.
    const durations = fc.sample(
      fc.oneof(
        fc.integer({ min: 1000, max: 60_000 }),
        fc.double({ min: 100, max: 1e6, noNaN: true }),
      ),
      { seed: 18, numRuns: 600 },
    );
    const at = (i: number) => now - 50 * 60_000 + i * 5000;
    await write(
      'shop',
      durations
        .slice(0, 400)
        .map((durationMs, i) =>
          slowRequest({ name: 'GET /orders/:id', durationMs, timestamp: at(i) }),
        ),
    );
    await write(
      'shop',
      durations.slice(400, 500).map((durationMs, i) =>
        slowJob({
          name: 'SendInvoice',
          durationMs,
          timestamp: at(i),
          traceId: `${i}`.padStart(32, 'a'),
        }),
      ),
    );
    await write('__proto__', [
      slowRequest({ name: '__proto__', durationMs: 1500, timestamp: now - 1000 }),
      slowRequest({ name: HTML, durationMs: 2500, timestamp: now - 2000 }),
      slowRequest({ name: LONG, durationMs: 3500, timestamp: now - 3000 }),
    ]);
    logExporter = new OTLPLogExporter({ url: receiver.logsUrl });
    collector = new QuasarCollector(
      {
        ...COLLECTOR_DEFAULTS,
        forgetAfterMs: 60_000,
        skipSelfExporting: true,
        consumerName: 'collector-1',
        slowGroupLimits: LIMITS,
      },
      { redis, blockingRedis, logExporter, logger: silent },
    );
    const { app } = buildApp(
      {
        state: collector.state,
        redis,
        stats: () => collector.stats(),
        readiness: () => collector.readiness(),
        slowGroups: { groups: collector.slowGroups!, replica: 'collector-1' },
      },
      { apiToken: TOKEN, noAuth: false },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    get = async <T>(path: string) => {
      const res = await httpGet(port, path, { authorization: `Bearer ${TOKEN}` });
      return { status: res.statusCode, body: res.json<T>() };
    };
    closeApp = () => app.close();
    const outcome = await collector.runOnce();
    expect(outcome).toMatchObject({ ok: true, slowExported: 400 + 100 + 3 });
  }, 60_000);

  afterAll(async () => {
    await closeApp?.();
    await collector?.stop();
    await logExporter?.shutdown();
    await Promise.all([redis?.quit(), blockingRedis?.quit()]);
    await receiver?.close();
  });

  it('serves exact counts, max and last seen, and p50/p95 within the bound of exact', async () => {
    const { status, body } = await get<GroupsBody>('/api/pulse/slow/groups?service=shop');
    expect(status).toBe(200);
    expect(body.groups.map((g) => `${g.kind}/${g.name}`).sort()).toEqual([
      'job/SendInvoice',
      'request/GET /orders/:id',
    ]);
    for (const group of body.groups) {
      const truth = written.get(`shop/${group.kind}/${group.name}`)!;
      expect(group.count).toBe(truth.durations.length);
      expect(group.maxMs).toBe(Math.max(...truth.durations));
      expect(group.lastSeenMs).toBe(truth.lastSeen);
      for (const [q, estimate] of [
        [0.5, group.p50Ms],
        [0.95, group.p95Ms],
      ] as const) {
        const exact = exactQuantile(truth.durations, q);
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(QUANTILE_RELATIVE_ERROR * exact);
      }
      // Every entry finished within the last hour: the sparkline holds them all.
      expect(group.sparkline.counts.reduce((a, b) => a + b, 0)).toBe(group.count);
      expect(Math.max(...group.sparkline.maxMs)).toBe(group.maxMs);
    }
    const job = body.groups.find((g) => g.kind === 'job')!;
    expect(job.lastTraceId).toBe('99'.padStart(32, 'a'));
  });

  it("serves a group's last raw entries, newest first", async () => {
    const { status, body } = await get<{ entries: Array<SlowEntry & { id: string }> }>(
      '/api/pulse/slow/groups/entries?service=shop&kind=request&name=GET%20%2Forders%2F%3Aid',
    );
    expect(status).toBe(200);
    const truth = written.get('shop/request/GET /orders/:id')!.durations;
    expect(body.entries.map((e) => e.durationMs)).toEqual(truth.slice(-20).reverse());
  });

  it('serves hostile names as the data they are', async () => {
    const { body } = await get<GroupsBody>('/api/pulse/slow/groups?service=__proto__');
    const names = body.groups.map((g) => g.name);
    expect(names).toEqual(['__proto__', HTML, LONG.slice(0, SLOW_FIELD_MAX_LENGTH)]);
    const entries = await get<{ group: SlowGroupSummary }>(
      `/api/pulse/slow/groups/entries?service=__proto__&kind=request&name=${encodeURIComponent(HTML)}`,
    );
    expect(entries.body.group).toMatchObject({ name: HTML, count: 1, maxMs: 2500 });
  });

  it('keeps the groups bounded under a flood of names, and counts the evictions in /metrics', async () => {
    // Then a flood: 3 services × 100 distinct names, against 50 groups in all and 20 per service.
    for (const service of ['flood-a', 'flood-b', 'flood-c']) {
      await write(
        service,
        Array.from({ length: 100 }, (_, i) =>
          slowRequest({ name: `GET /users/${i}`, durationMs: 1000 + i, timestamp: now - 60_000 }),
        ),
      );
    }

    expect(await collector.runOnce()).toMatchObject({ ok: true, slowExported: 300 });
    const { body } = await get<GroupsBody>('/api/pulse/slow/groups?limit=1000');
    expect(body.total).toBe(LIMITS.maxGroups);
    const perService = new Map<string, number>();
    for (const g of body.groups) perService.set(g.service, (perService.get(g.service) ?? 0) + 1);
    for (const count of perService.values()) {
      expect(count).toBeLessThanOrEqual(LIMITS.maxGroupsPerService);
    }
    const samples = parsePrometheus(renderPrometheus(statsFamilies(await collector.stats())));
    const evictions = (limit: string) =>
      sampleValue(samples, 'quasar_collector_slowlog_group_evictions_total', { limit }) ?? NaN;
    expect(evictions('max_groups') + evictions('groups_per_service')).toBe(
      written.size - LIMITS.maxGroups,
    );
    // Both bounds were reached: 80 names past 20 in each flood service, then the total.
    expect(evictions('groups_per_service')).toBeGreaterThan(0);
    expect(evictions('max_groups')).toBeGreaterThan(0);
    expect(sampleValue(samples, 'quasar_collector_slowlog_groups')).toBe(LIMITS.maxGroups);
  });
});
