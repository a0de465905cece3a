import { resolveScope } from '@gravito/quasar/schema';
import { buildCommand, parseCommandRequest } from '../../src/commands/build-command';
import type { CommandRequest } from '../../src/commands/build-command';

const zenith = { service: 'shop', nodeId: 'w-1', type: 'RETRY_JOB', queue: 'orders' };

function parsed(body: Record<string, unknown>): CommandRequest {
  const result = parseCommandRequest(body);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('parseCommandRequest', () => {
  it('reads the Zenith body, with an exact jobKey as the job id and redis as the driver', () => {
    expect(parsed({ ...zenith, jobKey: 'job-123' })).toEqual({
      ...zenith,
      jobId: 'job-123',
      scope: 'job',
      driver: 'redis',
    });
  });

  it("reads the original UI's jobKey * as every failed job", () => {
    expect(parsed({ ...zenith, jobKey: '*', driver: 'bullmq' })).toMatchObject({
      jobId: undefined,
      scope: 'all-failed',
      driver: 'bullmq',
    });
  });

  it('prefers jobId over jobKey, and needs no jobKey when given a jobId or a scope', () => {
    expect(parsed({ ...zenith, jobKey: '*', jobId: 'j-9' })).toMatchObject({ jobId: 'j-9' });
    expect(parsed({ ...zenith, jobId: 'j-9' })).toMatchObject({ scope: 'job' });
    expect(parsed({ ...zenith, scope: 'all-failed' })).toMatchObject({ scope: 'all-failed' });
  });

  it('refuses a dry run of one job or of a queue: an original agent would act on the job', () => {
    expect(parseCommandRequest({ ...zenith, jobId: '42', dryRun: true })).toEqual({
      ok: false,
      error: 'dryRun: allowed with scopes "all-failed" and "all-delayed" only',
    });
    expect(parseCommandRequest({ ...zenith, type: 'PAUSE_QUEUE', dryRun: true })).toMatchObject({
      ok: false,
    });
    expect(parsed({ ...zenith, scope: 'all-failed', dryRun: true })).toMatchObject({
      scope: 'all-failed',
      dryRun: true,
    });
  });

  it('refuses a job scope without a job', () => {
    expect(parseCommandRequest({ ...zenith, scope: 'job', jobKey: '*' })).toEqual({
      ok: false,
      error: 'scope "job" needs payload.jobId or an exact payload.jobKey',
    });
  });

  it('refuses non-string fields and overlong names', () => {
    expect(parseCommandRequest({ ...zenith, nodeId: 7, jobKey: 'j' })).toEqual({
      ok: false,
      error: 'nodeId: expected a string',
    });
    expect(parseCommandRequest({ ...zenith, queue: 'q'.repeat(513), jobKey: 'j' })).toEqual({
      ok: false,
      error: 'queue: longer than 512',
    });
  });
});

describe('buildCommand', () => {
  it('builds a command whose scope the agent resolves to the same job', () => {
    const command = buildCommand(parsed({ ...zenith, jobKey: 'job-123' }), 'id-1', 1000, 60_000);
    expect(command).toEqual({
      id: 'id-1',
      type: 'RETRY_JOB',
      targetNodeId: 'w-1',
      payload: { queue: 'orders', jobKey: 'job-123', jobId: 'job-123', driver: 'redis' },
      scope: 'job',
      timestamp: 1000,
      expiresAt: 61_000,
      issuer: 'quasar-collector',
    });
    expect(resolveScope(command.payload, command.scope)).toEqual({
      ok: true,
      scope: 'job',
      jobId: 'job-123',
    });
  });

  it('sends jobKey * and no jobId for every failed job', () => {
    const command = buildCommand(parsed({ ...zenith, scope: 'all-failed' }), 'id-2', 0, 1);
    expect(command.payload).toEqual({ queue: 'orders', jobKey: '*', driver: 'redis' });
    expect(resolveScope(command.payload, command.scope)).toEqual({ ok: true, scope: 'all-failed' });
  });
});

describe('jobKeyOf: what the original agents read', () => {
  const base = {
    service: 's',
    nodeId: 'n',
    type: 'RETRY_JOB' as const,
    queue: 'q',
    jobId: undefined,
    scope: 'all-failed' as const,
    driver: 'bullmq',
  };

  it('names no job for a grouped or dry-run command, so an old agent refuses it', () => {
    expect(buildCommand({ ...base, dryRun: true }, 'id', 1, 1).payload.jobKey).toBe('?dry-run');
    const grouped = buildCommand({ ...base, fingerprint: '0123456789abcdef' }, 'id', 1, 1);
    expect(grouped.payload).toMatchObject({
      jobKey: '?failure-group',
      fingerprint: '0123456789abcdef',
    });
    expect(grouped.scope).toBe('all-failed');
  });

  it('keeps * for every failed job and the id for one job', () => {
    expect(buildCommand(base, 'id', 1, 1).payload.jobKey).toBe('*');
    expect(buildCommand({ ...base, scope: 'job', jobId: '42' }, 'id', 1, 1).payload.jobKey).toBe(
      '42',
    );
  });
});
