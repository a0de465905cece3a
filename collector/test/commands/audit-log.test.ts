import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { appendAudit, readAudit } from '../../src/commands/audit-log';
import type { AuditRecord } from '../../src/commands/audit-log';
import { readCommandStatus } from '../../src/commands/command-status';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

const record = (id: string, deadline: number): AuditRecord => ({
  id,
  at: 1000,
  actor: 'alice',
  actorKind: 'grafana-user',
  credential: 'named-token',
  tokenName: 'ops-console',
  action: 'DELETE_JOB',
  service: 'shop',
  nodeId: '*',
  queue: 'orders',
  scope: 'all-failed',
  jobId: '',
  deadline,
});

const DAY = 86_400_000;
/** A month of retention and a backstop far away: only age trims. */
const keep = { retentionMs: 30 * DAY, maxLength: 1_000_000 };

describeWithRedis('the audit log', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(() => redis?.disconnect());

  beforeEach(() => redis.del(QuasarKeys.audit));

  /** Writes `count` entries with explicit ids from `fromMs`, one a millisecond, in one pipeline. */
  async function seed(count: number, fromMs: number, prefix: string): Promise<string[]> {
    const pipeline = redis.pipeline();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${fromMs + i}-0`;
      ids.push(id);
      const fields = Object.entries(record(`${prefix}-${i}`, 0)).flatMap(([k, v]) => [
        k,
        String(v),
      ]);
      pipeline.xadd(QuasarKeys.audit, id, ...fields);
    }
    await pipeline.exec();
    return ids;
  }

  it('reads entries back newest first, as they were written', async () => {
    await appendAudit(redis, record('c-1', 5000), keep);
    await appendAudit(redis, record('c-2', 5000), keep);
    const { entries, next } = await readAudit(redis, { limit: 10 }, 2000);
    expect(entries.map((e) => e.id)).toEqual(['c-2', 'c-1']);
    expect(entries[0]).toMatchObject({ ...record('c-2', 5000), entryId: expect.any(String) });
    expect(next).toBeNull();
  });

  it('joins each entry with its outcome: a result, else pending or expired by the deadline', async () => {
    await appendAudit(redis, record('done', 5000), keep);
    await appendAudit(redis, record('waiting', 5000), keep);
    await appendAudit(redis, record('late', 1500), keep);
    const result = {
      commandId: 'done',
      status: 'succeeded',
      affected: 3,
      nodeId: 'n',
      finishedAt: 1,
    };
    await redis.set(QuasarKeys.commandResult('done'), JSON.stringify(result));
    const outcomes = Object.fromEntries(
      (await readAudit(redis, { limit: 10 }, 2000)).entries.map((e) => [e.id, e.outcome]),
    );
    expect(outcomes).toEqual({
      done: { status: 'succeeded', result },
      waiting: { status: 'pending' },
      late: { status: 'expired' },
    });
  });

  it('pages from newest to oldest with the next cursor, each entry exactly once', async () => {
    const ids = await seed(25, Date.now() - DAY, 'p');
    const seen: string[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await readAudit(redis, { limit: 10, ...(before ? { before } : {}) });
      seen.push(...page.entries.map((e) => e.entryId));
      if (page.next === null) break;
      before = page.next;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('gives no next cursor when the page ends exactly at the oldest entry', async () => {
    await seed(10, Date.now() - DAY, 'e');
    const page = await readAudit(redis, { limit: 10 });
    expect(page.entries).toHaveLength(10);
    expect(page.next).toBeNull();
  });

  it('reads nothing before the first possible id', async () => {
    await seed(3, 1, 'z');
    expect(await readAudit(redis, { limit: 10, before: '0-0' })).toEqual({
      entries: [],
      next: null,
    });
    expect((await readAudit(redis, { limit: 10, before: '2-0' })).entries.map((e) => e.id)).toEqual(
      ['z-0'],
    );
  });

  it('trims the entries older than the retention on append', async () => {
    const now = Date.now();
    await seed(50, now - 31 * DAY, 'old');
    const young = await seed(50, now - 29 * DAY, 'young');
    await appendAudit(redis, record('new', 0), keep, now);
    const left = await redis.xrange(QuasarKeys.audit, '-', '+');
    expect(left.map(([id]) => id).slice(0, 50)).toEqual(young);
    expect(left).toHaveLength(51);
  });

  it('never trims an entry younger than the retention, however many commands follow', async () => {
    const before = await seed(1500, Date.now() - 29 * DAY, 'history');
    const pipeline: Array<Promise<string>> = [];
    for (let i = 0; i < 3000; i++) pipeline.push(appendAudit(redis, record(`flood-${i}`, 0), keep));
    await Promise.all(pipeline);
    const history = await redis.xrange(QuasarKeys.audit, '-', `(${Date.now() - 28 * DAY}`);
    expect(history.map(([id]) => id)).toEqual(before);
    expect(await redis.xlen(QuasarKeys.audit)).toBe(4500);
  });

  it('keeps the stream near the backstop length once a flood reaches it', async () => {
    const backstop = { retentionMs: 30 * DAY, maxLength: 100 };
    for (let i = 0; i < 400; i++) await appendAudit(redis, record(`c-${i}`, 0), backstop);
    const length = await redis.xlen(QuasarKeys.audit);
    expect(length).toBeLessThan(400);
    expect(length).toBeGreaterThanOrEqual(100);
  });

  it("records the token's name, and reads an entry written before names as its legacy credential", async () => {
    await appendAudit(redis, record('named', 5000), keep);
    const legacy = { id: 'old', at: '1000', actor: 'write-token', credential: 'write-token' };
    await redis.xadd(QuasarKeys.audit, '*', ...Object.entries(legacy).flat());
    await redis.xadd(QuasarKeys.audit, '*', 'id', 'older', 'credential', 'none');
    const { entries } = await readAudit(redis, { limit: 10 }, 2000);
    expect(entries.map((e) => [e.id, e.credential, e.tokenName])).toEqual([
      ['older', 'none', ''],
      ['old', 'write-token', 'write-token'],
      ['named', 'named-token', 'ops-console'],
    ]);
    const [, fields] = (await redis.xrange(QuasarKeys.audit, '-', '+', 'COUNT', 1))[0] ?? [];
    expect(fields).toEqual(expect.arrayContaining(['tokenName', 'ops-console']));
  });

  it('fails the append when Redis refuses it', async () => {
    await redis.set(QuasarKeys.audit, 'not a stream');
    await expect(appendAudit(redis, record('c', 0), keep)).rejects.toThrow(/WRONGTYPE/);
  });

  it('reads a hostile entry bounded, with unknown fields dropped and no prototype touched', async () => {
    await redis.xadd(
      QuasarKeys.audit,
      '*',
      '__proto__',
      'polluted',
      'constructor',
      'x',
      'id',
      'h-1',
      'actorKind',
      'root',
      'credential',
      'master-key',
      'tokenName',
      't'.repeat(100_000),
      'at',
      'soon',
      'service',
      's'.repeat(100_000),
      'fingerprint',
      'f'.repeat(100_000),
      'dryRun',
      'yes',
    );
    const [entry] = (await readAudit(redis, { limit: 1 })).entries;
    expect(entry).toMatchObject({
      id: 'h-1',
      actorKind: 'token',
      credential: 'none',
      at: 0,
      actor: '',
      deadline: 0,
    });
    expect(entry).not.toHaveProperty('fingerprint');
    expect(entry).not.toHaveProperty('dryRun');
    expect(entry?.service).toHaveLength(512);
    expect(entry?.tokenName).toHaveLength(512);
    expect(Object.keys(entry ?? {})).not.toContain('__proto__');
    expect(Object.keys(entry ?? {})).not.toContain('constructor');
    expect(Object.getPrototypeOf(entry)).toBe(Object.prototype);
  });
});

describeWithRedis('readCommandStatus', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(() => redis?.disconnect());

  it('knows a command only by its record or its result', async () => {
    expect(await readCommandStatus(redis, 'never')).toBeUndefined();
    const record = { deadline: 5000, service: 's', nodeId: 'n', type: 'RETRY_JOB', queue: 'q' };
    await redis.set(QuasarKeys.commandIssued('cmd'), JSON.stringify(record));
    expect(await readCommandStatus(redis, 'cmd', 4999)).toEqual({
      commandId: 'cmd',
      status: 'pending',
      deadline: 5000,
    });
    expect(await readCommandStatus(redis, 'cmd', 5000)).toMatchObject({ status: 'expired' });
    await redis.del(QuasarKeys.commandIssued('cmd'));
    const result = {
      commandId: 'cmd',
      status: 'rejected',
      reason: 'bad signature',
      affected: 0,
      nodeId: 'n',
      finishedAt: 1,
    };
    await redis.set(QuasarKeys.commandResult('cmd'), JSON.stringify(result));
    expect(await readCommandStatus(redis, 'cmd')).toEqual({
      commandId: 'cmd',
      status: 'rejected',
      result,
    });
  });
});
