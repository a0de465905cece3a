/**
 * A flood of commands from one credential: the rate limit refuses what exceeds it, and the
 * audit trail from before the flood survives it whole.
 */
import type Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, connectedSubscriber, describeWithRedis } from '../../../testing/redis';
import { COMMAND_PATH, WRITE_TOKEN, commands, retry, write } from './command-fixture';
import { httpPost, startPulse } from './pulse-fixture';
import type { Pulse, Reply } from './pulse-fixture';

const BURST = 10;
const FLOOD = 40;
const HISTORY = 1500;

interface AuditBody {
  entries: Array<{ id: string; entryId: string }>;
  next: string | null;
}

describeWithRedis('a flood of POST /api/pulse/command', () => {
  let pulse: Pulse;
  let agent: Redis;
  /** The audit as it stood before the flood, oldest first. */
  const history: string[] = [];
  let replies: Reply[];
  let floodMs: number;

  beforeAll(async () => {
    const url = await claimDatabase();
    pulse = await startPulse(url, {
      apiWriteToken: WRITE_TOKEN,
      // One command a minute after a burst of ten: the flood cannot refill the bucket in time.
      commandRate: { perMinute: 1, burst: BURST },
      // The old count-trimmed audit would keep only the newest 1,000 entries.
      commands: commands({ auditMaxLength: 1_000_000 }),
    });
    agent = await connectedSubscriber(url);
    await agent.subscribe(QuasarKeys.commandChannel('billing', 'node-1'));
    const pipeline = pulse.redis.pipeline();
    const from = Date.now() - 7 * 86_400_000;
    for (let i = 0; i < HISTORY; i++) {
      history.push(`${from + i}-0`);
      pipeline.xadd(QuasarKeys.audit, `${from + i}-0`, 'id', `before-${i}`, 'at', String(from));
    }
    await pipeline.exec();
    const started = Date.now();
    replies = await Promise.all(
      Array.from({ length: FLOOD }, (_, i) =>
        httpPost(pulse.port, COMMAND_PATH, { ...retry, jobKey: `flood-${i}` }, write),
      ),
    );
    floodMs = Date.now() - started;
  });

  afterAll(async () => {
    agent?.disconnect();
    await pulse?.close();
  });

  const limited = () => replies.filter((r) => r.statusCode === 429);
  const accepted = () => replies.filter((r) => r.statusCode === 202);

  it('accepts the burst and refuses the rest with 429 QUASAR_RATE_LIMITED', () => {
    // A token comes back each minute the flood lasts; it lasts far less on any machine.
    const refilled = Math.floor(floodMs / 60_000);
    expect(accepted().length).toBeGreaterThanOrEqual(BURST);
    expect(accepted().length).toBeLessThanOrEqual(BURST + refilled);
    expect(accepted().length + limited().length).toBe(FLOOD);
    for (const reply of limited()) {
      expect(reply.json()).toEqual({
        success: false,
        error: { code: 'QUASAR_RATE_LIMITED', message: expect.any(String) },
      });
    }
  });

  it('tells each refused client when to retry, in whole seconds', () => {
    expect(limited().length).toBeGreaterThan(0);
    for (const reply of limited()) {
      const seconds = Number(reply.headers['retry-after']);
      expect(Number.isInteger(seconds)).toBe(true);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
    }
  });

  it('counts the refusals on /metrics, by credential', async () => {
    const metrics = (await pulse.get('/metrics')).body;
    expect(metrics).toContain(
      `quasar_collector_commands_rate_limited_total{credential="write-token"} ${limited().length}`,
    );
  });

  it('keeps every audit entry from before the flood, readable page by page', async () => {
    const read = { authorization: `Bearer ${WRITE_TOKEN}` };
    const seen: AuditBody['entries'] = [];
    let query = '?limit=500';
    for (let pages = 0; pages < 20; pages++) {
      const res = await pulse.get(`/api/pulse/audit${query}`, read);
      expect(res.statusCode).toBe(200);
      const page = res.json<AuditBody>();
      seen.push(...page.entries);
      if (page.next === null) break;
      query = `?limit=500&before=${page.next}`;
    }
    const ids = seen.map((e) => e.entryId);
    expect(ids.slice(-HISTORY)).toEqual([...history].reverse());
    const issued = accepted().map((r) => r.json<{ commandId: string }>().commandId);
    expect(
      seen
        .slice(0, -HISTORY)
        .map((e) => e.id)
        .sort(),
    ).toEqual(issued.sort());
  });
});
