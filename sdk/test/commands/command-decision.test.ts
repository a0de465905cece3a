/**
 * The agent's ordered checks, without Redis: each failing check rejects with its reason, the
 * first failure wins, and a command that passes them all becomes an exact execution plan.
 */
import { decideCommand } from '../../src/commands/listener/command-decision';
import type { DecisionContext, Delivery } from '../../src/commands/listener/command-decision';
import { resolveRemoteControl } from '../../src/commands/listener/remote-control-options';
import { signCommand } from '../../src/commands/signature';
import type { QuasarCommand } from '../../src/schema/command';
import { configErrorOf } from '../support/config-error';

const NOW = 1_767_500_000_000;
const TOKEN = 'test-token';
const NODE = 'worker-01-48213';

function command(overrides: Partial<QuasarCommand> = {}): QuasarCommand {
  return {
    id: '0b6f8c1e-6a3b-4c1d-9e2f-7a8b9c0d1e2f',
    type: 'RETRY_JOB',
    targetNodeId: NODE,
    payload: { queue: 'emails', jobKey: '42', driver: 'redis' },
    timestamp: NOW,
    issuer: 'quasar-collector',
    expiresAt: NOW + 60_000,
    ...overrides,
  };
}

function decide(
  message: QuasarCommand | string,
  options: {
    token?: string;
    previousTokens?: string[];
    allowUnsigned?: boolean;
    delivery?: Delivery;
    nowMs?: number;
  } = {},
) {
  const config = resolveRemoteControl(
    {
      queues: { emails: ['retry'], reports: ['retry', 'delete'] },
      allowUnsigned: options.allowUnsigned ?? false,
      maxJobsPerCommand: 50,
      previousTokens: options.previousTokens ?? [],
      ...('token' in options ? { token: options.token } : { token: TOKEN }),
    },
    {},
  );
  const context: DecisionContext = {
    nodeId: NODE,
    delivery: options.delivery ?? 'node',
    config,
    nowMs: options.nowMs ?? NOW,
    registration: (queue) => (queue === 'emails' ? { type: 'redis', options: {} } : undefined),
  };
  const raw =
    typeof message === 'string'
      ? message
      : JSON.stringify(config.token ? signCommand(message, config.token) : message);
  return decideCommand(raw, context);
}

const reasonOf = (decision: ReturnType<typeof decide>) =>
  decision.action === 'execute' ? 'executes' : decision.reason;

describe('decideCommand', () => {
  it('plans a signed retry of exactly the job named by jobKey', () => {
    expect(decide(command())).toEqual({
      action: 'execute',
      command: expect.objectContaining({ id: command().id }),
      verb: 'retry',
      type: 'redis',
      options: {},
      target: { type: 'RETRY_JOB', queue: 'emails', scope: 'job', jobId: '42', maxJobs: 50 },
    });
  });

  it('rejects a dry run of one job or of a queue, which no executor previews', () => {
    const oneJob = command({
      payload: { queue: 'emails', jobKey: '42', driver: 'redis', dryRun: true },
    });
    expect(reasonOf(decide(oneJob))).toBe(
      'payload.dryRun applies to scopes all-failed and all-delayed only',
    );
    const all = command({
      payload: { queue: 'emails', jobKey: '*', driver: 'redis', dryRun: true },
    });
    expect(reasonOf(decide(all))).toBe('executes');
  });

  it("plans jobKey '*' as all failed jobs, bounded by maxJobsPerCommand", () => {
    const all = command({ payload: { queue: 'emails', jobKey: '*', driver: 'redis' } });
    const decision = decide(all);
    expect(decision.action === 'execute' && decision.target).toEqual({
      type: 'RETRY_JOB',
      queue: 'emails',
      scope: 'all-failed',
      maxJobs: 50,
      maxScan: 10_000,
      jobsPerBatch: 100,
      batchPauseMs: 250,
    });
  });

  it('bounds a bulk command by the scan, batch and pause options, from the environment too', () => {
    const env = {
      QUASAR_MAX_SCAN_PER_COMMAND: '500',
      QUASAR_JOBS_PER_BATCH: '20',
      QUASAR_BATCH_PAUSE_MS: '0',
    };
    expect(resolveRemoteControl({ queues: { q: ['retry'] } }, env)).toMatchObject({
      maxScanPerCommand: 500,
      jobsPerBatch: 20,
      batchPauseMs: 0,
    });
    expect(
      resolveRemoteControl({ queues: { q: ['retry'] }, jobsPerBatch: 7, batchPauseMs: 10 }, env),
    ).toMatchObject({ jobsPerBatch: 7, batchPauseMs: 10 });
    for (const [option, value] of [
      ['maxScanPerCommand', 0],
      ['jobsPerBatch', 1.5],
      ['batchPauseMs', -1],
      ['batchPauseMs', 60_001],
    ] as const) {
      const given = { queues: { q: ['retry'] }, [option]: value };
      expect(configErrorOf(() => resolveRemoteControl(given, {})).option).toBe(option);
    }
  });

  it('rejects a malformed command that has an id, and ignores one that has none', () => {
    expect(decide('{"id":"abc","type":"RETRY_JOB"}')).toEqual({
      action: 'reject',
      commandId: 'abc',
      reason: 'malformed command: targetNodeId: missing',
    });
    expect(decide('not json')).toEqual({
      action: 'ignore',
      reason: 'malformed command: not valid JSON',
    });
  });

  it.each([
    ['an unknown type', command({ type: 'FLUSH_ALL' }), {}, 'unknown command type FLUSH_ALL'],
    ['an unsigned command', JSON.stringify(command()), {}, 'unsigned command'],
    ['an expired command', command({ expiresAt: NOW }), {}, 'expired'],
    [
      'a command from more than 60 s ago',
      command({ timestamp: NOW - 60_001, expiresAt: undefined }),
      {},
      'timestamp outside ±60 s of the agent clock',
    ],
    [
      'a command from more than 60 s ahead',
      command({ timestamp: NOW + 60_001 }),
      {},
      'timestamp outside ±60 s of the agent clock',
    ],
    ['a command for another node', command({ targetNodeId: 'other-1' }), {}, 'not for this node'],
    [
      'a node command on the broadcast channel',
      command(),
      { delivery: 'broadcast' as const },
      'not for this node',
    ],
    [
      'a verb the queue does not enable',
      command({ type: 'DELETE_JOB' }),
      {},
      'delete is not enabled on queue emails',
    ],
    [
      'a queue not enabled at all',
      command({ payload: { queue: 'sms', jobKey: '1', driver: 'redis' } }),
      {},
      'retry is not enabled on queue sms',
    ],
    [
      'an enabled queue this agent does not monitor',
      command({ payload: { queue: 'reports', jobKey: '1', driver: 'redis' } }),
      {},
      'queue reports is not monitored by this agent',
    ],
    [
      'a command without a target',
      command({ payload: { queue: 'emails', jobKey: '', driver: 'redis' } }),
      {},
      'payload.jobKey: empty, and no payload.jobId',
    ],
  ])('rejects %s', (_what, message, options, reason) => {
    expect(reasonOf(decide(message, options))).toBe(reason);
  });

  it('rejects a bad signature', () => {
    const forged = { ...signCommand(command(), 'another-token') };
    expect(reasonOf(decide(JSON.stringify(forged)))).toBe('bad signature');
  });

  it('rejects a signed command whose fields changed after signing', () => {
    const signed = signCommand(command(), TOKEN);
    const tampered = { ...signed, payload: { ...signed.payload, queue: 'reports' } };
    expect(reasonOf(decide(JSON.stringify(tampered)))).toBe('bad signature');
  });

  describe('during a token rotation', () => {
    const rotating = { token: 'new-token', previousTokens: ['old-token', 'older-token'] };
    const signedWith = (token: string) => JSON.stringify(signCommand(command(), token));

    it('accepts a command signed with the current token or any previous one', () => {
      for (const token of ['new-token', 'old-token', 'older-token']) {
        expect({ token, decision: reasonOf(decide(signedWith(token), rotating)) }).toEqual({
          token,
          decision: 'executes',
        });
      }
    });

    it('rejects a command signed with a token in neither list as a bad signature', () => {
      expect(reasonOf(decide(signedWith('another-token'), rotating))).toBe('bad signature');
      expect(reasonOf(decide(JSON.stringify(command()), rotating))).toBe('unsigned command');
    });

    it('no longer accepts the previous token once it is removed', () => {
      expect(reasonOf(decide(signedWith('old-token'), { token: 'new-token' }))).toBe(
        'bad signature',
      );
    });
  });

  it('rejects unsigned commands without a token unless they were allowed', () => {
    expect(reasonOf(decide(command(), { token: undefined }))).toBe(
      'unsigned command (no QUASAR_TOKEN configured and unsigned commands not enabled)',
    );
    expect(reasonOf(decide(command(), { token: undefined, allowUnsigned: true }))).toBe('executes');
  });

  it("accepts a service-wide command ('*') only on the broadcast channel", () => {
    const wide = command({ targetNodeId: '*' });
    expect(reasonOf(decide(wide, { delivery: 'broadcast' }))).toBe('executes');
    expect(reasonOf(decide(wide, { delivery: 'node' }))).toBe('not for this node');
  });

  it('checks the signature before the clock, and the clock before the target', () => {
    const stale = command({ timestamp: NOW - 120_000, targetNodeId: 'other-1' });
    expect(reasonOf(decide(JSON.stringify({ ...stale, sig: '0'.repeat(64) })))).toBe(
      'bad signature',
    );
    expect(reasonOf(decide(stale))).toBe('timestamp outside ±60 s of the agent clock');
  });
});

describe('resolveRemoteControl', () => {
  const resolve =
    (options: unknown, env = {}) =>
    () =>
      resolveRemoteControl(options, env);

  it('names the option that is invalid', () => {
    expect(configErrorOf(resolve({ queues: {} })).option).toBe('queues');
    expect(configErrorOf(resolve({})).option).toBe('queues');
    expect(configErrorOf(resolve({ queues: { emails: ['requeue'] } })).option).toBe(
      'queues.emails',
    );
    expect(configErrorOf(resolve({ queues: { emails: [] } })).option).toBe('queues.emails');
    for (const maxJobsPerCommand of [0, -1, 1.5]) {
      expect(
        configErrorOf(resolve({ queues: { emails: ['retry'] }, maxJobsPerCommand })).option,
      ).toBe('maxJobsPerCommand');
    }
    expect(configErrorOf(resolve({ queues: { emails: ['retry'] }, token: '' })).option).toBe(
      'token',
    );
  });

  it('takes the token and the unsigned opt-in from the environment, explicit options first', () => {
    const env = { QUASAR_TOKEN: 'from-env', QUASAR_ALLOW_UNSIGNED_COMMANDS: 'yes' };
    expect(resolveRemoteControl({ queues: { q: ['retry'] } }, env)).toMatchObject({
      token: 'from-env',
      allowUnsigned: true,
      maxJobsPerCommand: 1000,
    });
    expect(
      resolveRemoteControl({ queues: { q: ['retry'] }, token: 'mine', allowUnsigned: false }, env),
    ).toMatchObject({ token: 'mine', allowUnsigned: false });
  });

  it('takes the previous tokens from QUASAR_TOKEN_PREVIOUS, comma-separated, explicit first', () => {
    const env = { QUASAR_TOKEN: 'new', QUASAR_TOKEN_PREVIOUS: ' old , older ' };
    expect(resolveRemoteControl({ queues: { q: ['retry'] } }, env).previousTokens).toEqual([
      'old',
      'older',
    ]);
    expect(
      resolveRemoteControl({ queues: { q: ['retry'] }, previousTokens: ['mine'] }, env)
        .previousTokens,
    ).toEqual(['mine']);
    expect(resolveRemoteControl({ queues: { q: ['retry'] } }, {}).previousTokens).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['an empty previous token', { token: 'new', previousTokens: ['s3cret-old', ''] }, {}],
    ['previous tokens that are not a list', { token: 'new', previousTokens: 's3cret-old' }, {}],
    [
      'an empty item in QUASAR_TOKEN_PREVIOUS',
      { token: 'new' },
      { QUASAR_TOKEN_PREVIOUS: 's3cret-old,' },
    ],
    ['previous tokens without a token', { previousTokens: ['s3cret-old'] }, {}],
    ['QUASAR_TOKEN_PREVIOUS without a token', {}, { QUASAR_TOKEN_PREVIOUS: 's3cret-old' }],
  ])('refuses %s, naming previousTokens and never the value', (_what, options, env) => {
    const error = configErrorOf(resolve({ queues: { q: ['retry'] }, ...options }, env));
    expect(error.option).toBe('previousTokens');
    expect(error.message).not.toContain('s3cret');
  });
});
