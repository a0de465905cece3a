/** A failed job's hash and listing as BullMQ and Bull store them, read defensively. */
import {
  MAX_STACKTRACE_FIELD,
  failureFromHash,
  listedFailures,
  newestStack,
} from '../../../../src/queues/drivers/bull-family/failed-hash';

describe('failed job hashes', () => {
  it('lists ids newest first, the newest with their scores as versions', () => {
    expect(listedFailures(['7', '', 8, '9', '3'], ['7', '1700', '9', 'NaN', 5, '1'], 10)).toEqual([
      { id: '7', version: 1700 },
      { id: '9' },
      { id: '3' },
    ]);
    expect(listedFailures('WRONGTYPE', null, 10)).toEqual([]);
    expect(listedFailures(['1', '2', '3'], 'WRONGTYPE', 2)).toEqual([{ id: '1' }, { id: '2' }]);
  });

  it('takes the newest stack, the last of the array', () => {
    expect(newestStack(JSON.stringify(['Error: first', 'Error: second']))).toBe('Error: second');
  });

  it.each([
    ['nothing', null],
    ['text that is not JSON', '{oops'],
    ['an object', '{"__proto__":{"polluted":1}}'],
    ['an empty array', '[]'],
    ['a number last', '["a", 3]'],
    ['a field over the bound', JSON.stringify(['x'.repeat(MAX_STACKTRACE_FIELD)])],
  ])('reads no stack from %s', (_, field) => {
    expect(newestStack(field)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a failure with its stack, and none from a hash that is gone', () => {
    const stack = 'Error: x\n    at charge (/app/billing.js:3:9)';
    expect(failureFromHash('5', ['charge', 'x', '1700', JSON.stringify([stack])])).toEqual({
      id: '5',
      name: 'charge',
      failedAt: 1700,
      reason: 'x',
      stack,
    });
    expect(failureFromHash('5', [null, null, null, null])).toBeUndefined();
    expect(failureFromHash('5', 'not a reply')).toBeUndefined();
  });
});
