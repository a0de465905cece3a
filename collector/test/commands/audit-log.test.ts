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
  credential: 'write-token',
  action: 'DELETE_JOB',
  service: 'shop',
  nodeId: '*',
  queue: 'orders',
  scope: 'all-failed',
  jobId: '',
  deadline,
});

describeWithRedis('the audit log', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(await claimDatabase());
  });

  afterAll(() => redis?.disconnect());

  beforeEach(() => redis.del(QuasarKeys.audit));

  it('reads entries back newest first, as they were written', async () => {
    await appendAudit(redis, record('c-1', 5000), 1000);
    await appendAudit(redis, record('c-2', 5000), 1000);
    const entries = await readAudit(redis, 10, 2000);
    expect(entries.map((e) => e.id)).toEqual(['c-2', 'c-1']);
    expect(entries[0]).toMatchObject({ ...record('c-2', 5000), entryId: expect.any(String) });
  });

  it('joins each entry with its outcome: a result, else pending or expired by the deadline', async () => {
    await appendAudit(redis, record('done', 5000), 1000);
    await appendAudit(redis, record('waiting', 5000), 1000);
    await appendAudit(redis, record('late', 1500), 1000);
    const result = {
      commandId: 'done',
      status: 'succeeded',
      affected: 3,
      nodeId: 'n',
      finishedAt: 1,
    };
    await redis.set(QuasarKeys.commandResult('done'), JSON.stringify(result));
    const outcomes = Object.fromEntries(
      (await readAudit(redis, 10, 2000)).map((e) => [e.id, e.outcome]),
    );
    expect(outcomes).toEqual({
      done: { status: 'succeeded', result },
      waiting: { status: 'pending' },
      late: { status: 'expired' },
    });
  });

  it('trims the stream to about its maximum length', async () => {
    for (let i = 0; i < 400; i++) await appendAudit(redis, record(`c-${i}`, 0), 100);
    const length = await redis.xlen(QuasarKeys.audit);
    expect(length).toBeLessThan(400);
    expect(length).toBeGreaterThanOrEqual(100);
  });

  it('fails the append when Redis refuses it', async () => {
    await redis.set(QuasarKeys.audit, 'not a stream');
    await expect(appendAudit(redis, record('c', 0), 100)).rejects.toThrow(/WRONGTYPE/);
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
