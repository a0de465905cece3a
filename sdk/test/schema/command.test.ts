import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMMAND_TYPES,
  canonicalCommand,
  parseCommand,
  parseCommandResult,
  resolveScope,
} from '../../src/schema';
import type { QuasarCommand } from '../../src/schema';
import { ORIGINALS_DIR, variant } from './fixtures';

const ZENITH_TEXT = readFileSync(join(ORIGINALS_DIR, 'command-zenith-retry.json'), 'utf8');

function valid(input: unknown): QuasarCommand {
  const result = parseCommand(input);
  if (!result.ok) throw new Error(`expected valid, got: ${result.error}`);
  return result.value;
}

function errorOf(input: unknown): string {
  const result = parseCommand(input);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

const zenith = (): Record<string, unknown> => JSON.parse(ZENITH_TEXT) as Record<string, unknown>;

const command = (payload: Partial<QuasarCommand['payload']>, extra: Partial<QuasarCommand> = {}) =>
  valid({
    ...zenith(),
    ...extra,
    payload: { queue: 'emails', jobKey: '*', driver: 'redis', ...payload },
  });

describe('parseCommand', () => {
  it('accepts the original Zenith command as its exact bytes', () => {
    const parsed = valid(ZENITH_TEXT);
    expect(parsed).toEqual({
      id: '6f1f6a52-2b8e-4f57-9d0c-3c3c2b8a1e11',
      type: 'RETRY_JOB',
      targetNodeId: 'worker-01-48213',
      payload: { queue: 'queue:orders', jobKey: 'job-123', driver: 'redis' },
      timestamp: 1767500000000,
      issuer: 'zenith',
    });
  });

  it('accepts a parsed object as well as JSON text', () => {
    expect(valid(zenith())).toEqual(valid(ZENITH_TEXT));
  });

  it('accepts the new optional fields', () => {
    const parsed = command({ jobId: '42' }, { scope: 'job', expiresAt: 1767500060000, sig: 'ab' });
    expect(parsed).toMatchObject({ scope: 'job', expiresAt: 1767500060000, sig: 'ab' });
    expect(parsed.payload.jobId).toBe('42');
  });

  it('parses unknown types, which the listener rejects later with a reason', () => {
    expect(valid(variant(zenith(), 'type', 'LARAVEL_ACTION')).type).toBe('LARAVEL_ACTION');
    expect(COMMAND_TYPES).toEqual([
      'RETRY_JOB',
      'DELETE_JOB',
      'INSPECT_JOB',
      'PAUSE_QUEUE',
      'RESUME_QUEUE',
      'PROMOTE_JOB',
    ]);
  });

  it('keeps unknown fields, because the signature covers them', () => {
    const parsed = valid(variant(variant(zenith(), 'extra', 1), 'payload.hint', 'x'));
    expect(parsed.extra).toBe(1);
    expect(parsed.payload.hint).toBe('x');
  });

  it('does not share the caller’s objects', () => {
    const input = zenith();
    valid(input).payload.queue = 'changed';
    expect((input.payload as Record<string, unknown>).queue).toBe('queue:orders');
  });

  it.each([
    'id',
    'type',
    'targetNodeId',
    'timestamp',
    'issuer',
    'payload',
    'payload.queue',
    'payload.jobKey',
    'payload.driver',
  ])('rejects a command without %s, naming the field', (path) => {
    expect(errorOf(variant(zenith(), path, undefined))).toBe(`${path}: missing`);
  });

  it.each([
    ['id', 7],
    ['type', null],
    ['targetNodeId', ['a']],
    ['timestamp', '1767500000000'],
    ['timestamp', Number.NaN],
    ['issuer', {}],
    ['payload', 'queue:orders'],
    ['payload.queue', 1],
    ['payload.jobKey', 123],
    ['payload.driver', false],
    ['payload.action', 1],
    ['payload.jobId', 42],
    ['expiresAt', 'soon'],
    ['sig', 1234],
    ['scope', 'everything'],
  ])('rejects a command whose %s is %p, naming the field', (path, patch) => {
    expect(errorOf(variant(zenith(), path, patch))).toMatch(new RegExp(`^${path}: expected`));
  });

  it.each(['id', 'type', 'targetNodeId', 'issuer', 'payload.queue', 'payload.jobId'])(
    'rejects an empty %s',
    (path) => {
      expect(errorOf(variant(zenith(), path, ''))).toBe(`${path}: expected a non-empty string`);
    },
  );

  it('rejects text that is not JSON, and JSON that is not an object', () => {
    expect(errorOf('{"id":')).toBe('not valid JSON');
    expect(errorOf('[1]')).toBe('expected an object, got an array');
  });
});

describe('resolveScope', () => {
  const scopeOf = (c: QuasarCommand) => resolveScope(c.payload, c.scope);

  it('reads a plain jobKey as an exact job id, as in the Zenith fixture', () => {
    expect(scopeOf(valid(ZENITH_TEXT))).toEqual({ ok: true, scope: 'job', jobId: 'job-123' });
  });

  it('reads the original UI’s jobKey "*" as all failed jobs', () => {
    expect(scopeOf(command({ jobKey: '*' }))).toEqual({ ok: true, scope: 'all-failed' });
  });

  it('prefers payload.jobId over jobKey', () => {
    expect(scopeOf(command({ jobKey: '*', jobId: '42' }))).toEqual({
      ok: true,
      scope: 'job',
      jobId: '42',
    });
    expect(scopeOf(command({ jobKey: 'other', jobId: '42' }))).toMatchObject({ jobId: '42' });
  });

  it('lets an explicit scope win', () => {
    expect(scopeOf(command({ jobKey: 'job-1' }, { scope: 'all-failed' }))).toEqual({
      ok: true,
      scope: 'all-failed',
    });
    expect(scopeOf(command({ jobKey: 'job-1' }, { scope: 'job' }))).toEqual({
      ok: true,
      scope: 'job',
      jobId: 'job-1',
    });
  });

  it('returns an error for scope "job" without any job id', () => {
    const resolved = scopeOf(command({ jobKey: '*' }, { scope: 'job' }));
    expect(resolved).toEqual({ ok: false, error: expect.stringContaining('payload.jobId') });
  });

  it('returns an error for an empty jobKey without a jobId', () => {
    expect(scopeOf(command({ jobKey: '' }))).toMatchObject({ ok: false });
  });
});

describe('parseCommandResult', () => {
  const result = {
    commandId: '6f1f6a52-2b8e-4f57-9d0c-3c3c2b8a1e11',
    status: 'succeeded',
    affected: 3,
    nodeId: 'worker-01-48213',
    finishedAt: 1767500000500,
  };

  it('accepts a result as JSON text or as an object, with or without a reason', () => {
    const parsed = parseCommandResult(JSON.stringify(result));
    expect(parsed).toEqual({ ok: true, value: result, warnings: [] });
    const rejected = { ...result, status: 'rejected', reason: 'bad signature', affected: 0 };
    expect(parseCommandResult(rejected)).toMatchObject({ ok: true, value: rejected });
  });

  it('keeps hasJob as a boolean, and drops anything else there with a warning', () => {
    expect(parseCommandResult({ ...result, hasJob: true })).toEqual({
      ok: true,
      value: { ...result, hasJob: true },
      warnings: [],
    });
    expect(parseCommandResult({ ...result, hasJob: 'yes' })).toEqual({
      ok: true,
      value: result,
      warnings: ['hasJob: expected a boolean'],
    });
  });

  it.each([
    ['commandId', undefined, 'commandId: missing'],
    ['status', 'done', 'status: expected one of succeeded, failed, rejected'],
    ['affected', -1, 'affected: expected a non-negative integer'],
    ['affected', 1.5, 'affected: expected a non-negative integer'],
    ['nodeId', 3, 'nodeId: expected a string, got 3'],
    ['finishedAt', 'now', 'finishedAt: expected a number, got "now"'],
    ['reason', 5, 'reason: expected a string, got 5'],
  ])('rejects a result whose %s is %p', (path, patch, error) => {
    expect(parseCommandResult(variant(result, path, patch))).toEqual({ ok: false, error });
  });
});

describe('canonicalCommand', () => {
  it('sorts keys recursively, so key order does not matter', () => {
    const a = command({ jobId: '42' }, { scope: 'job', expiresAt: 1 });
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as QuasarCommand;
    reordered.payload = Object.fromEntries(
      Object.entries(a.payload).reverse(),
    ) as QuasarCommand['payload'];
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(canonicalCommand(reordered)).toBe(canonicalCommand(a));
  });

  it('writes no whitespace, omits undefined fields and leaves out only the top-level sig', () => {
    const base = valid(ZENITH_TEXT);
    const text = canonicalCommand({ ...base, scope: undefined, sig: 'ab' });
    expect(text).toBe(
      '{"id":"6f1f6a52-2b8e-4f57-9d0c-3c3c2b8a1e11","issuer":"zenith",' +
        '"payload":{"driver":"redis","jobKey":"job-123","queue":"queue:orders"},' +
        '"targetNodeId":"worker-01-48213","timestamp":1767500000000,"type":"RETRY_JOB"}',
    );
    expect(canonicalCommand({ ...base, payload: { ...base.payload, sig: 'x' } })).toContain(
      '"sig":"x"',
    );
  });

  it('escapes strings as JSON does and keeps non-ASCII text as is', () => {
    const text = canonicalCommand(command({ queue: 'é "q"\n' }));
    expect(text).toContain('"queue":"é \\"q\\"\\n"');
  });
});
