import { readSlowInput } from '../../src/slowlog/read-input';

describe('readSlowInput', () => {
  it('accepts a minimal request and a job with its queue', () => {
    expect(readSlowInput({ kind: 'request', name: 'GET /', durationMs: 0 })).toEqual({
      ok: true,
      value: { kind: 'request', name: 'GET /', durationMs: 0 },
      warnings: [],
    });
    const job = readSlowInput({ kind: 'job', name: 'send-mail', durationMs: 6000, queue: 'mail' });
    expect(job.ok && job.value.queue).toBe('mail');
  });

  it('copies only the known fields', () => {
    const read = readSlowInput({
      kind: 'request',
      name: 'GET /',
      durationMs: 1,
      status: 200,
      userId: 'u-1',
    });
    expect(read.ok && Object.keys(read.value).sort()).toEqual(
      ['durationMs', 'kind', 'name', 'status'].sort(),
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'slow', /expected an object/],
    ['null', null, /expected an object/],
    ['a wrong kind', { kind: 'query', name: 'x', durationMs: 1 }, /^kind:/],
    ['a missing name', { kind: 'job', durationMs: 1 }, /^name:/],
    ['a blank name', { kind: 'job', name: '  ', durationMs: 1 }, /^name:/],
    ['a NaN duration', { kind: 'job', name: 'x', durationMs: NaN }, /^durationMs:/],
    ['a negative duration', { kind: 'job', name: 'x', durationMs: -1 }, /^durationMs:/],
    ['a string duration', { kind: 'job', name: 'x', durationMs: '10' }, /^durationMs:/],
    ['a numeric method', { kind: 'request', name: 'x', durationMs: 1, method: 1 }, /^method:/],
    ['a fractional status', { kind: 'request', name: 'x', durationMs: 1, status: 2.5 }, /^status:/],
  ])('rejects %s, naming the field', (_label, input, error) => {
    const read = readSlowInput(input);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(error);
  });
});
