import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCOPES } from '../../src/auth/scopes';
import { MAX_TOKEN_FILE_BYTES, parseApiTokens } from '../../src/config/api-tokens';
import { CollectorConfigError } from '../../src/config/errors';
import { InvalidValue } from '../../src/config/parsers';
import { resolveConfig } from '../../src/config/resolve';
import { loggableConfig } from '../../src/server';

const CI = 'ci-secret-0123456789abcdef';
const OPS = 'ops-secret-0123456789abcdef';

function resolved(env: Record<string, string>, argv: string[] = []) {
  const outcome = resolveConfig(argv, env);
  if (outcome.help) throw new Error('expected a configuration');
  return outcome.config;
}

function failure(env: Record<string, string>): CollectorConfigError {
  try {
    resolveConfig([], env);
  } catch (error) {
    expect(error).toBeInstanceOf(CollectorConfigError);
    return error as CollectorConfigError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseApiTokens', () => {
  it('reads name:scopes:secret entries separated by spaces, semicolons or lines', () => {
    expect(parseApiTokens(`ci:retry,read:${CI}; ops:*:${OPS}`)).toEqual([
      { name: 'ci', scopes: ['retry', 'read'], secret: CI },
      { name: 'ops', scopes: [...SCOPES], secret: OPS },
    ]);
    expect(parseApiTokens(`# tokens\nci:read:${CI}  # the CI job\n\nops:delete:${OPS}\n`)).toEqual([
      { name: 'ci', scopes: ['read'], secret: CI },
      { name: 'ops', scopes: ['delete'], secret: OPS },
    ]);
  });

  it('keeps colons inside a secret and drops repeated scopes', () => {
    expect(parseApiTokens('ci:read,read:a:b:c')).toEqual([
      { name: 'ci', scopes: ['read'], secret: 'a:b:c' },
    ]);
  });

  it.each([
    ['an empty list', ' ;\n# nothing', /no token/],
    ['an entry without a secret', `ci:read`, /entry 1: expected name:scopes:secret/],
    ['an entry without a name', `:read:${CI}`, /entry 1: expected name:scopes:secret/],
    ['an empty secret', 'ci:read:', /entry 1 \("ci"\): no secret/],
    ['no scope', `ci::${CI}`, /entry 1 \("ci"\): no scope/],
    [
      'an unknown scope',
      `ci:read:${OPS} ops:write:${CI}`,
      /entry 2 \("ops"\): unknown scope "write"/,
    ],
    ['a secret where the scopes go', `ci:${CI}:read`, /entry 1 \("ci"\): unknown scope \(not/],
  ])('refuses %s, never quoting a secret', (_what, text, message) => {
    expect(() => parseApiTokens(text)).toThrow(InvalidValue);
    expect(() => parseApiTokens(text)).toThrow(message);
    expect(() => parseApiTokens(text)).not.toThrow(/0123/);
  });
});

describe('named tokens in the configuration', () => {
  it('come from QUASAR_API_TOKENS, and serve the API without the legacy token', () => {
    const config = resolved({ QUASAR_API_TOKENS: `ci:retry:${CI}` });
    expect(config.apiToken).toBeUndefined();
    expect(config.apiTokens).toEqual([{ name: 'ci', scopes: ['retry'], secret: CI }]);
    expect(config.readOnly).toBe(false);
  });

  it('add the tokens of QUASAR_API_TOKENS_FILE to those of the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quasar-tokens-'));
    const file = join(dir, 'tokens');
    writeFileSync(file, `# operators\nops:read,delete:${OPS}\n`);
    const config = resolved({ QUASAR_API_TOKENS: `ci:retry:${CI}`, QUASAR_API_TOKENS_FILE: file });
    expect(config.apiTokens.map((t) => t.name)).toEqual(['ci', 'ops']);
    expect(resolved({}, ['--api-tokens-file', file]).apiTokens.map((t) => t.name)).toEqual(['ops']);
  });

  it('name the file setting when the file is missing, too large or invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quasar-tokens-'));
    const large = join(dir, 'large');
    writeFileSync(large, '#'.repeat(MAX_TOKEN_FILE_BYTES + 1));
    const invalid = join(dir, 'invalid');
    writeFileSync(invalid, `ops:write:${OPS}`);
    for (const [path, message] of [
      [join(dir, 'missing'), /cannot read/],
      [large, /larger than 65536 bytes/],
      [invalid, /unknown scope "write"/],
    ] as const) {
      const error = failure({ QUASAR_API_TOKENS_FILE: path });
      expect(error.message).toMatch(/--api-tokens-file \/ QUASAR_API_TOKENS_FILE/);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(OPS);
    }
  });

  it('are checked with the legacy tokens, and refused without quoting a secret', () => {
    const error = failure({ QUASAR_API_TOKEN: CI, QUASAR_API_TOKENS: `ci:read:${CI}` });
    expect(error.message).toMatch(
      /--api-tokens \/ QUASAR_API_TOKENS: token "ci" has the same secret/,
    );
    expect(error.message).not.toContain(CI);
    expect(failure({ QUASAR_API_TOKENS: 'api-token:read:0123456789abcdef0' }).message).toMatch(
      /reserved/,
    );
  });

  it('are logged by name and scopes, never by secret', () => {
    const config = resolved({ QUASAR_API_TOKENS: `ci:retry,delete:${CI} ops:read:${OPS}` });
    const logged = JSON.stringify(loggableConfig(config));
    expect(loggableConfig(config).apiTokens).toEqual(['ci:retry,delete', 'ops:read']);
    expect(logged).not.toContain(CI);
    expect(logged).not.toContain(OPS);
  });

  it('turn read-only mode on from --read-only or QUASAR_READ_ONLY', () => {
    const env = { QUASAR_API_TOKEN: CI };
    expect(resolved(env, ['--read-only']).readOnly).toBe(true);
    expect(resolved({ ...env, QUASAR_READ_ONLY: 'true' }).readOnly).toBe(true);
    expect(resolved({ ...env, QUASAR_READ_ONLY: 'off' }).readOnly).toBe(false);
    expect(failure({ ...env, QUASAR_READ_ONLY: 'maybe' }).message).toMatch(
      /--read-only \/ QUASAR_READ_ONLY/,
    );
  });
});
