import { CollectorConfigError } from '../../src/config/errors';
import { resolveConfig } from '../../src/config/resolve';
import type { CollectorConfig } from '../../src/config/options';
import { loggableConfig } from '../../src/server';

function resolve(argv: string[], env: Record<string, string> = {}): CollectorConfig {
  const outcome = resolveConfig(argv, { QUASAR_API_TOKEN: 'api-secret-1', ...env });
  if (outcome.help) throw new Error('unexpected --help');
  return outcome.config;
}

describe('the remote-control settings', () => {
  it('default to no signing secret, no write token, 60 s expiry, 120 s result timeout', () => {
    expect(resolve([])).toMatchObject({
      commandToken: undefined,
      apiWriteToken: undefined,
      allowUnsignedCommands: false,
      commandTtlMs: 60_000,
      commandResultTimeoutMs: 120_000,
      auditMaxLength: 10_000,
    });
  });

  it('read QUASAR_TOKEN, QUASAR_API_WRITE_TOKEN and the durations from the environment', () => {
    const config = resolve(['--allow-unsigned-commands'], {
      QUASAR_TOKEN: 'sign-secret-2',
      QUASAR_API_WRITE_TOKEN: 'write-secret-3',
      QUASAR_COMMAND_EXPIRY: '30s',
      QUASAR_COMMAND_RESULT_TIMEOUT: '5m',
      QUASAR_AUDIT_MAX_LENGTH: '500',
    });
    expect(config).toMatchObject({
      commandToken: 'sign-secret-2',
      apiWriteToken: 'write-secret-3',
      allowUnsignedCommands: true,
      commandTtlMs: 30_000,
      commandResultTimeoutMs: 300_000,
      auditMaxLength: 500,
    });
  });

  it('refuses a result timeout shorter than the command expiry', () => {
    expect(() => resolve(['--command-expiry', '2m', '--command-result-timeout', '1m'])).toThrow(
      CollectorConfigError,
    );
  });

  it('never shows a secret in the configuration it logs', () => {
    const config = resolve([], { QUASAR_TOKEN: 'sign-secret-2', QUASAR_API_WRITE_TOKEN: 'w-3' });
    const logged = JSON.stringify(loggableConfig(config));
    for (const secret of ['api-secret-1', 'sign-secret-2', 'w-3']) {
      expect(logged).not.toContain(secret);
    }
    expect(loggableConfig(config)).toMatchObject({ commandToken: '(set)', apiWriteToken: '(set)' });
  });
});
