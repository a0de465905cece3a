import { fakeFetch, proxied } from '../testing/fakeBackendSrv';
import { CollectorError } from './collector';
import { MAX_PREVIEW_SAMPLE, MAX_SKIPPED, inspectJob, issueCommand, pollCommand, readStatus } from './commands';

// Grafana's backendSrv, stood in for by a table of proxy replies.
let mockFetch = fakeFetch({});
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (options: unknown) => mockFetch(options as never) }),
}));

const REQUEST = { service: 's', nodeId: 'n', type: 'RETRY_JOB' as const, queue: 'q', scope: 'all-failed' as const };

describe('issueCommand', () => {
  it("POSTs the body through its verb's proxy route and returns the command id", async () => {
    mockFetch = fakeFetch({
      [proxied('api/pulse/command/retry')]: { status: 202, data: { success: true, commandId: 'c1' } },
    });
    await expect(issueCommand(REQUEST)).resolves.toBe('c1');
    expect(mockFetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: proxied('api/pulse/command/retry'), method: 'POST', data: REQUEST })
    );
  });

  it('sends a delete to the delete route, which Grafana gates with its own action', async () => {
    mockFetch = fakeFetch({
      [proxied('api/pulse/command/delete')]: { status: 202, data: { success: true, commandId: 'c2' } },
    });
    await expect(issueCommand({ ...REQUEST, type: 'DELETE_JOB' })).resolves.toBe('c2');
    expect(mockFetch).toHaveBeenCalledWith(expect.objectContaining({ url: proxied('api/pulse/command/delete') }));
  });

  it("throws the collector's error", async () => {
    mockFetch = fakeFetch({
      [proxied('api/pulse/command/retry')]: {
        status: 409,
        data: { success: false, error: { code: 'QUASAR_NO_SUBSCRIBER', message: 'no agent is listening on x' } },
      },
    });
    const error = await issueCommand(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect(error).toMatchObject({ status: 409, message: 'no agent is listening on x (QUASAR_NO_SUBSCRIBER)' });
  });
});

describe('pollCommand', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  /** The status route answering `pending` until `pendingForMs` of (fake) time has passed. */
  function pendingFor(pendingForMs: number, final: unknown) {
    const issuedAt = Date.now();
    const url = proxied('api/pulse/commands/c1');
    mockFetch = jest.fn((options) =>
      fakeFetch({
        [url]: { status: 200, data: Date.now() - issuedAt < pendingForMs ? { status: 'pending' } : final },
      })(options)
    ) as typeof mockFetch;
  }

  it('follows a command that stays pending longer than 30 s to its result', async () => {
    jest.useFakeTimers();
    pendingFor(90_000, { commandId: 'c1', status: 'succeeded', result: { affected: 2 } });

    const outcome = pollCommand('c1');
    await jest.advanceTimersByTimeAsync(91_000);

    await expect(outcome).resolves.toEqual({
      commandId: 'c1',
      status: 'succeeded',
      affected: 2,
      reason: null,
      skipped: [],
      preview: null,
    });
  });

  it('ends when the collector says the command expired', async () => {
    jest.useFakeTimers();
    pendingFor(120_000, { commandId: 'c1', status: 'expired' });

    const outcome = pollCommand('c1');
    await jest.advanceTimersByTimeAsync(121_000);

    await expect(outcome).resolves.toMatchObject({ commandId: 'c1', status: 'expired' });
  });

  it('rejects when the collector no longer knows the command', async () => {
    mockFetch = fakeFetch({
      [proxied('api/pulse/commands/c1')]: {
        status: 404,
        data: { error: { code: 'QUASAR_COMMAND_UNKNOWN', message: 'unknown command' } },
      },
    });
    await expect(pollCommand('c1', { intervalMs: 1 })).rejects.toBeInstanceOf(CollectorError);
  });
});

describe('readStatus', () => {
  it('reads the result and treats an unknown state as failed', () => {
    expect(readStatus('c1', { commandId: 'c1', status: 'succeeded', result: { affected: 3 } })).toEqual({
      commandId: 'c1',
      status: 'succeeded',
      affected: 3,
      reason: null,
      skipped: [],
      preview: null,
    });
    expect(readStatus('c1', { status: 'exploded' })).toMatchObject({
      status: 'failed',
      reason: 'unknown status exploded',
    });
  });
});

describe('inspectJob', () => {
  const TARGET = { service: 's', nodeId: 'n', queue: '*', jobId: 'j-1' };
  const replies = (status: unknown, job?: unknown) =>
    fakeFetch({
      [proxied('api/pulse/command/inspect')]: { status: 202, data: { success: true, commandId: 'c1' } },
      [proxied('api/pulse/commands/c1')]: { status: 200, data: status },
      ...(job !== undefined ? { [proxied('api/pulse/inspections/c1/job')]: { status: 200, data: job } } : {}),
    });

  it('issues INSPECT_JOB on every queue, follows it, then reads the job', async () => {
    mockFetch = replies({ status: 'succeeded', hasJob: true }, { job: { queue: 'emails', id: 'j-1', redacted: 2 } });
    await expect(inspectJob(TARGET, { intervalMs: 1 })).resolves.toMatchObject({
      queue: 'emails',
      id: 'j-1',
      redacted: 2,
      stacktrace: [],
    });
    expect(mockFetch).toHaveBeenCalledWith(
      expect.objectContaining({
        method: 'POST',
        data: { service: 's', nodeId: 'n', type: 'INSPECT_JOB', queue: '*', jobId: 'j-1', scope: 'job' },
      })
    );
  });

  it("rejects with the agent's reason, and never reads a job, when the command did not succeed", async () => {
    mockFetch = replies({ status: 'rejected', result: { reason: 'no job j-1 in any queue with inspect enabled' } });
    await expect(inspectJob(TARGET, { intervalMs: 1 })).rejects.toThrow(
      'rejected: no job j-1 in any queue with inspect enabled'
    );
    mockFetch = replies({ status: 'expired' });
    await expect(inspectJob(TARGET, { intervalMs: 1 })).rejects.toThrow(
      'expired: no agent answered before the deadline'
    );
    expect(mockFetch).not.toHaveBeenCalledWith(
      expect.objectContaining({ url: proxied('api/pulse/inspections/c1/job') })
    );
  });
});

describe('readStatus of a bulk command', () => {
  const sample = { id: '9', name: 'lookup', failedAt: 1767500000000, reason: 'User <str> not found' };

  it('reads what a dry run found and what it would skip', () => {
    const reply = {
      commandId: 'c2',
      status: 'succeeded',
      result: {
        affected: 0,
        skipped: [{ reason: 'over maxJobsPerCommand', count: 2 }],
        preview: { matched: 5, scanned: 15, complete: true, sample: [sample] },
      },
    };
    expect(readStatus('c2', reply)).toMatchObject({
      affected: 0,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 2 }],
      preview: { matched: 5, scanned: 15, complete: true, sample: [sample] },
    });
  });

  it('drops hostile skipped entries and previews, and bounds what it keeps', () => {
    const hostile = {
      status: 'succeeded',
      result: {
        skipped: [
          { reason: 'x'.repeat(100_000), count: 1 },
          { reason: 'negative', count: -4 },
          { reason: 'fraction', count: 1.5 },
          { reason: { toString: 'no' }, count: 2 },
          ...Array.from({ length: 50 }, (_, i) => ({ reason: `r${i}`, count: 1 })),
        ],
        preview: {
          matched: 5,
          scanned: 15,
          complete: true,
          sample: Array.from({ length: 5000 }, (_, i) => ({ ...sample, id: String(i) })),
        },
      },
    };
    const status = readStatus('c3', hostile);
    expect(status.skipped).toHaveLength(MAX_SKIPPED);
    expect(status.skipped[0]?.reason.length).toBeLessThanOrEqual(200);
    expect(status.skipped.map((s) => s.reason)).not.toContain('negative');
    expect(status.preview?.sample).toHaveLength(MAX_PREVIEW_SAMPLE);
    for (const preview of [
      { matched: -1, scanned: 1, complete: true, sample: [] },
      { matched: 1e300, scanned: 1, complete: true, sample: [] },
      { matched: 1.5, scanned: 3, complete: false, sample: [] },
      { matched: 1, scanned: 1, complete: 'yes', sample: [] },
      '__proto__',
    ]) {
      expect(readStatus('c4', { status: 'succeeded', result: { preview } }).preview).toBeNull();
    }
  });
});
