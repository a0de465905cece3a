import { SCOPES } from '../../src/auth/scopes';
import { commandTokenCount, principalsOf } from '../../src/auth/principal';
import type { AccessConfig } from '../../src/auth/principal';

/** Each configured token's name and scopes, in order. */
const mapping = (config: AccessConfig) =>
  principalsOf(config).map(({ principal }) => [principal.name, [...principal.scopes]]);

describe('principalsOf: the legacy settings as named tokens', () => {
  it('gives the API token alone every scope, as it could issue commands', () => {
    expect(mapping({ apiToken: 'a', noAuth: false })).toEqual([['api-token', [...SCOPES]]]);
  });

  it('gives the API token read only once a write token is set, and the write token every scope', () => {
    expect(mapping({ apiToken: 'a', apiWriteToken: 'w', noAuth: false })).toEqual([
      ['write-token', [...SCOPES]],
      ['api-token', ['read']],
    ]);
  });

  it('gives the API token read only under --no-auth, where it never issued commands', () => {
    expect(mapping({ apiToken: 'a', noAuth: true })).toEqual([['api-token', ['read']]]);
  });

  it('lists the named tokens after the legacy ones, with their own scopes', () => {
    const apiTokens = [{ name: 'ci', scopes: ['retry'] as const, secret: 's' }];
    expect(mapping({ apiToken: undefined, apiTokens, noAuth: false })).toEqual([['ci', ['retry']]]);
  });

  it('counts the tokens that may issue commands, one rate-limit bucket each', () => {
    const apiTokens = [
      { name: 'ci', scopes: ['retry'] as const, secret: 's1' },
      { name: 'dash', scopes: ['read'] as const, secret: 's2' },
    ];
    expect(commandTokenCount({ apiToken: 'a', apiWriteToken: 'w', apiTokens, noAuth: false })).toBe(
      2,
    );
    expect(commandTokenCount({ apiToken: 'a', noAuth: true })).toBe(0);
  });
});
