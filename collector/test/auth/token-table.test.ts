import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../src/auth/principal';
import { MAX_AUTHORIZATION_LENGTH, TokenTable, bearerToken } from '../../src/auth/token-table';

const principal = (name: string): Principal => ({
  name,
  credential: 'named-token',
  scopes: new Set(['read']),
});

const SECRETS = ['first-secret-0123456789', 'second-secret-0123456789', 'x'];

/** A table whose comparisons are recorded, each still made by `timingSafeEqual`. */
function watchedTable() {
  const calls: Array<[number, number]> = [];
  const table = new TokenTable(
    SECRETS.map((secret, i) => ({ secret, principal: principal(`t${i}`) })),
    (a, b) => {
      calls.push([a.length, b.length]);
      return timingSafeEqual(a, b);
    },
  );
  return { table, calls };
}

describe('TokenTable', () => {
  it('compares the presented token with every configured one, in constant time, wherever it matches', () => {
    for (const [header, expected] of [
      ['Bearer first-secret-0123456789', 't0'],
      ['Bearer second-secret-0123456789', 't1'],
      ['Bearer x', 't2'],
      ['Bearer no-such-token', undefined],
      [`Bearer ${'y'.repeat(4000)}`, undefined],
    ] as const) {
      const { table, calls } = watchedTable();
      expect(table.identify(header)?.name).toBe(expected);
      // One comparison per configured token, always of two SHA-256 digests: neither the
      // position of the match nor the lengths of the tokens change the work done.
      expect(calls).toEqual([
        [32, 32],
        [32, 32],
        [32, 32],
      ]);
    }
  });

  it('compares nothing for a header that is not a bearer token, or is too long to be one', () => {
    const { table, calls } = watchedTable();
    for (const header of [
      undefined,
      '',
      'Basic first-secret-0123456789',
      'first-secret-0123456789',
      `Bearer ${'y'.repeat(MAX_AUTHORIZATION_LENGTH)}`,
    ]) {
      expect(table.identify(header)).toBeUndefined();
    }
    expect(calls).toEqual([]);
  });

  it('uses timingSafeEqual unless told otherwise', () => {
    const table = new TokenTable([{ secret: 'abc', principal: principal('a') }]);
    expect(table.identify('bearer abc')?.name).toBe('a');
    expect(table.identify('Bearer abd')).toBeUndefined();
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer \tabc  ', 'abc'],
    ['Bearer a b', undefined],
    ['Bearer', undefined],
    ['Bearerabc', undefined],
    ['Bearer abc\n', undefined],
  ] as const)('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
