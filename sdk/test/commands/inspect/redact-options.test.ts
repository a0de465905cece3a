/**
 * The `redactKeys` option of `enableRemoteControl()`, `QUASAR_REDACT_KEYS` and the sidecar's
 * `--redact-keys`: added to the default patterns, never replacing them, and refused, naming the
 * option, when malformed.
 */
import { resolveRemoteControl } from '../../../src/commands/listener/remote-control-options';
import { SidecarConfigError } from '../../../src/sidecar/errors';
import { parseArgv } from '../../../src/sidecar/parse-argv';
import { resolveSettings } from '../../../src/sidecar/resolve-settings';
import { configErrorOf } from '../../support/config-error';

const resolve = (options: Record<string, unknown>, env: Record<string, string> = {}) =>
  resolveRemoteControl({ queues: { emails: ['inspect'] }, allowUnsigned: true, ...options }, env);

describe('redactKeys', () => {
  it('keeps the defaults when none are given', () => {
    const config = resolve({});
    expect(config.redactKeys).toEqual([]);
    expect(['password', 'X-Api-Token', 'dob'].map(config.redact)).toEqual([true, true, false]);
  });

  it('adds the given patterns to the defaults', () => {
    const config = resolve({ redactKeys: ['dob', /^ip$/i] });
    expect(['password', 'date_of_birth', 'DOB', 'IP', 'zip'].map(config.redact)).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it('reads QUASAR_REDACT_KEYS, comma-separated, after the explicit option', () => {
    const fromEnv = resolve({}, { QUASAR_REDACT_KEYS: 'dob, national_id' });
    expect(fromEnv.redactKeys).toEqual(['dob', 'national_id']);
    expect(fromEnv.redact('nationalId')).toBe(true);
    const explicit = resolve({ redactKeys: ['zip'] }, { QUASAR_REDACT_KEYS: 'dob' });
    expect(explicit.redactKeys).toEqual(['zip']);
  });

  it('names the option when the patterns are malformed', () => {
    for (const redactKeys of ['dob', [''], [42], ['x'.repeat(129)]]) {
      expect(configErrorOf(() => resolve({ redactKeys })).option).toBe('redactKeys');
    }
    const fromEnv = configErrorOf(() => resolve({}, { QUASAR_REDACT_KEYS: 'dob,,zip' }));
    expect(fromEnv.message).toMatch(/^Invalid option "redactKeys" \(from QUASAR_REDACT_KEYS\)/);
  });
});

describe('the sidecar --redact-keys setting', () => {
  const settingsOf = (argv: string[], env: Record<string, string> = {}) =>
    resolveSettings(parseArgv(argv), { QUASAR_SERVICE: 'shop', ...env }, () => {
      throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    }).values;

  it('reads --redact-keys and QUASAR_REDACT_KEYS', () => {
    expect(settingsOf(['--redact-keys', 'dob,ssn_last4']).redactKeys).toEqual(['dob', 'ssn_last4']);
    expect(settingsOf([], { QUASAR_REDACT_KEYS: 'dob' }).redactKeys).toEqual(['dob']);
    expect(settingsOf([]).redactKeys).toBeUndefined();
  });

  it('names the setting for an empty pattern', () => {
    let error: unknown;
    try {
      settingsOf(['--redact-keys', 'dob,,x']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SidecarConfigError);
    expect((error as SidecarConfigError).setting).toBe('redactKeys');
  });
});
