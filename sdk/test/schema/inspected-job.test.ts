/** An inspected job as the collector reads it once unsealed: rebuilt, bounded, never trusted. */
import {
  MAX_INSPECTED_JOB_BYTES,
  MAX_INSPECTED_LINE,
  MAX_INSPECTED_LINES,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  readInspectedJob,
} from '../../src/schema';
import type { InspectedJob } from '../../src/schema';

const job = (over: Record<string, unknown> = {}) => ({
  queue: 'emails',
  id: '42',
  name: 'welcome',
  state: 'failed',
  data: '{"to":"a@example.test","password":"[REDACTED]"}',
  opts: '{"attempts":3}',
  attemptsMade: 3,
  maxAttempts: 3,
  timestamps: { createdAt: 1_700_000_000_000, processedAt: 1_700_000_000_100 },
  failedReason: 'SMTP 550',
  stacktrace: ['Error: SMTP 550\n    at send (/app/mail.js:1:1)'],
  logs: ['sending'],
  returnValue: 'null',
  redacted: 1,
  truncated: [],
  ...over,
});

const read = (input: unknown): { value: InspectedJob; warnings: readonly string[] } => {
  const result = readInspectedJob(input);
  if (!result.ok) throw new Error(result.error);
  return result;
};

describe('readInspectedJob', () => {
  it('keeps a well-formed job field for field, from JSON text or a parsed value', () => {
    expect(read(job()).value).toEqual(job());
    expect(read(JSON.stringify(job())).value).toEqual(job());
    expect(read(job()).warnings).toEqual([]);
  });

  it('drops unknown fields, prototype keys included', () => {
    const text = JSON.stringify(job()).replace(
      /^\{/,
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},"html":"<b>",',
    );
    const { value } = read(text);
    expect(Object.keys(value).sort()).toEqual(Object.keys(job()).sort());
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it.each([
    ['text that is not JSON', '{"queue":', 'not valid JSON'],
    ['an array', '[1]', 'expected an object, got an array'],
    ['no queue', { id: '1' }, 'queue: expected a queue name'],
    ['an empty id', { queue: 'q', id: '' }, 'id: expected a job id'],
    ['a numeric id', { queue: 'q', id: 7 }, 'id: expected a job id'],
    [
      'an over-long id',
      { queue: 'q', id: 'x'.repeat(MAX_NAME_LENGTH + 1) },
      'id: expected a job id',
    ],
  ])('refuses %s', (_what, input, error) => {
    expect(readInspectedJob(input)).toEqual({ ok: false, error });
  });

  it('refuses text longer than twice the agent cap without parsing it', () => {
    const huge = JSON.stringify(job({ data: 'x'.repeat(2 * MAX_INSPECTED_JOB_BYTES) }));
    expect(readInspectedJob(huge)).toEqual({
      ok: false,
      error: `longer than ${2 * MAX_INSPECTED_JOB_BYTES} characters`,
    });
  });

  it('cuts every string to its bound and names the cut fields in truncated', () => {
    const long = 'A'.repeat(MAX_INSPECTED_JOB_BYTES + 10);
    const { value } = read(
      job({
        name: 'n'.repeat(5000),
        state: 's'.repeat(5000),
        data: long,
        truncated: ['opts'],
        stacktrace: ['f'.repeat(MAX_INSPECTED_LINE * 2)],
      }),
    );
    expect(value.name).toHaveLength(MAX_NAME_LENGTH);
    expect(value.state).toHaveLength(MAX_LABEL_LENGTH);
    expect(value.data).toHaveLength(MAX_INSPECTED_JOB_BYTES);
    expect(value.stacktrace?.[0]).toHaveLength(MAX_INSPECTED_LINE);
    expect(value.truncated).toEqual(['opts', 'name', 'state', 'data']);
  });

  it('keeps the newest lines of a long log and skips entries that are not strings', () => {
    const logs = Array.from({ length: MAX_INSPECTED_LINES + 50 }, (_, i) => `line ${i}`);
    const { value } = read(
      job({ logs: [...logs, 7, { html: '<img>' }, null], stacktrace: [1, 'x'] }),
    );
    expect(value.logs).toHaveLength(MAX_INSPECTED_LINES - 3);
    expect(value.logs?.[value.logs.length - 1]).toBe(`line ${MAX_INSPECTED_LINES + 49}`);
    expect(value.stacktrace).toEqual(['x']);
  });

  it('drops numbers out of range and fields of the wrong type, with a warning each', () => {
    const { value, warnings } = read(
      job({
        attemptsMade: -1,
        maxAttempts: 1.5,
        timestamps: { createdAt: Infinity, processedAt: 1e14, finishedAt: '1', delayUntil: 5 },
        redacted: 'many',
        data: { nested: true },
        logs: 'one line',
        truncated: 'data',
      }),
    );
    expect(value).not.toHaveProperty('attemptsMade');
    expect(value).not.toHaveProperty('maxAttempts');
    expect(value).not.toHaveProperty('data');
    expect(value).not.toHaveProperty('logs');
    expect(value.timestamps).toEqual({ delayUntil: 5 });
    expect(value.redacted).toBe(0);
    expect(value.truncated).toEqual([]);
    expect(warnings).toEqual([
      'data: expected a string',
      'attemptsMade: expected a non-negative integer',
      'maxAttempts: expected a non-negative integer',
      'logs: expected an array of strings',
      'redacted: expected a non-negative integer',
      'truncated: expected an array of field names',
    ]);
  });

  it('reads a job nested 60,000 levels deep in an unknown field without recursing into it', () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const text = `{"queue":"q","id":"1","extra":${deep},"timestamps":${deep}}`;
    const { value } = read(text);
    expect(value).toEqual({ queue: 'q', id: '1', timestamps: {}, redacted: 0, truncated: [] });
  });

  it('keeps hostile text as text: markup, control and lone surrogate characters pass unchanged', () => {
    const hostile =
      '<img src=x onerror="window.__pwned=1"><script>alert(1)</script>\u0000\u0007\ud800';
    const { value } = read(job({ data: hostile, failedReason: hostile, logs: [hostile] }));
    expect(value.data).toBe(hostile);
    expect(value.failedReason).toBe(hostile);
    expect(value.logs).toEqual([hostile]);
  });

  it('bounds the truncated list and its names', () => {
    const { value } = read(job({ truncated: [...Array(40).fill('x'.repeat(500)), 7] }));
    expect(value.truncated).toHaveLength(16);
    expect(value.truncated[0]).toHaveLength(MAX_LABEL_LENGTH);
  });
});
