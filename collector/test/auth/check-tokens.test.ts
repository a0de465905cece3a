import { MAX_NAMED_TOKENS, TokenConfigError, checkTokens } from '../../src/auth/check-tokens';
import { principalsOf } from '../../src/auth/principal';
import type { ApiTokenSpec } from '../../src/auth/principal';

const SECRET = 'a-secret-of-24-characters';
const named = (name: string, secret = `${name}-${SECRET}`): ApiTokenSpec => ({
  name,
  scopes: ['read'],
  secret,
});
const check =
  (apiTokens: ApiTokenSpec[], legacy: { apiToken?: string } = {}) =>
  () =>
    checkTokens(principalsOf({ apiToken: legacy.apiToken, apiTokens, noAuth: false }));

describe('checkTokens', () => {
  it('accepts distinct, well-formed tokens beside the legacy ones', () => {
    expect(check([named('ci'), named('ops.console_2')], { apiToken: 'legacy' })).not.toThrow();
  });

  it.each([
    ['a name used twice', [named('ci'), named('ci', `other-${SECRET}`)], /"ci" is used twice/],
    ['a legacy name', [named('write-token')], /"write-token" is reserved/],
    ['a name with spaces', [named('my token')], /expected 1-64 letters/],
    ['a name starting with a dot', [named('.ci')], /expected 1-64 letters/],
    ['a short secret', [named('ci', 'short')], /"ci": its secret must be 16 to 1024/],
    ['a secret with a space', [named('ci', `${SECRET} x`)], /"ci": its secret may hold/],
    ['a secret outside ASCII', [named('ci', `${SECRET}é`)], /"ci": its secret may hold/],
    ['a shared secret', [named('ci', SECRET), named('ops', SECRET)], /"ops" has the same secret/],
    ['no scope', [{ ...named('ci'), scopes: [] }], /"ci": no scope/],
  ])('refuses %s, never quoting a secret', (_what, tokens, message) => {
    expect(check(tokens)).toThrow(TokenConfigError);
    expect(check(tokens)).toThrow(message);
    try {
      check(tokens)();
    } catch (error) {
      for (const token of tokens) expect((error as Error).message).not.toContain(token.secret);
    }
  });

  it("refuses a named token with the legacy API token's secret", () => {
    expect(check([named('ci', SECRET)], { apiToken: SECRET })).toThrow(/"ci" has the same secret/);
  });

  it(`refuses more than ${MAX_NAMED_TOKENS} named tokens`, () => {
    const many = Array.from({ length: MAX_NAMED_TOKENS + 1 }, (_, i) => named(`t${i}`));
    expect(check(many.slice(0, MAX_NAMED_TOKENS))).not.toThrow();
    expect(check(many)).toThrow(/at most 64 named tokens/);
  });
});
