import { auditEntriesWithinRetention, backstopReachable } from '../../src/config/audit-budget';
import { CollectorConfigError } from '../../src/config/errors';
import { resolveConfig } from '../../src/config/resolve';
import type { CollectorConfig } from '../../src/config/options';
import { loggableConfig } from '../../src/server';

const DAY = 86_400_000;

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
    });
  });

  it('default to 60 commands a minute in bursts of 60, and an audit kept 30 days', () => {
    expect(resolve([])).toMatchObject({
      commandRatePerMinute: 60,
      commandBurst: 60,
      auditRetentionMs: 30 * DAY,
      auditMaxLength: 10_000_000,
    });
  });

  it('keep the default audit backstop out of reach of three replicas flooding for the retention', () => {
    const config = resolve([]);
    expect(auditEntriesWithinRetention(config)).toBe(30 * 24 * 60 * 60 + 60);
    expect(backstopReachable(config, 3)).toBe(false);
    expect(backstopReachable(config, 4)).toBe(true);
    // Each token that may issue commands has its own bucket: two of them fill it twice as fast.
    expect(auditEntriesWithinRetention(config, 2)).toBe(2 * (30 * 24 * 60 * 60 + 60));
    expect(backstopReachable(config, 2, 2)).toBe(true);
    expect(backstopReachable(resolve(['--audit-max-length', '10000']))).toBe(true);
    expect(backstopReachable(resolve(['--command-rate', '600']))).toBe(true);
  });

  it('read the rate limit and the audit retention from flags and variables', () => {
    expect(
      resolve(['--command-rate', '10', '--audit-retention', '90d'], {
        QUASAR_COMMAND_BURST: '5',
      }),
    ).toMatchObject({ commandRatePerMinute: 10, commandBurst: 5, auditRetentionMs: 90 * DAY });
    expect(
      resolve([], { QUASAR_COMMAND_RATE: '120', QUASAR_AUDIT_RETENTION: '36h' }),
    ).toMatchObject({ commandRatePerMinute: 120, auditRetentionMs: 36 * 3_600_000 });
  });

  it.each([
    [['--command-rate', '0'], '--command-rate / QUASAR_COMMAND_RATE'],
    [['--command-rate', '1e3'], '--command-rate / QUASAR_COMMAND_RATE'],
    [['--command-burst', '0'], '--command-burst / QUASAR_COMMAND_BURST'],
    [['--command-burst=-1'], '--command-burst / QUASAR_COMMAND_BURST'],
    [['--audit-retention', '30s'], '--audit-retention / QUASAR_AUDIT_RETENTION'],
    [['--audit-retention', '3651d'], '--audit-retention / QUASAR_AUDIT_RETENTION'],
    [['--audit-retention', '30 days'], '--audit-retention / QUASAR_AUDIT_RETENTION'],
    [['--audit-max-length', '99'], '--audit-max-length / QUASAR_AUDIT_MAX_LENGTH'],
  ])('refuse %j, naming the setting', (argv, option) => {
    let error: unknown;
    try {
      resolve(argv);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CollectorConfigError);
    expect((error as CollectorConfigError).option).toBe(option);
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

  it('read the former command tokens from QUASAR_TOKEN_PREVIOUS, comma-separated, never logged', () => {
    const config = resolve([], { QUASAR_TOKEN: 'sign-2', QUASAR_TOKEN_PREVIOUS: 'old-1, older-0' });
    expect(config.commandPreviousTokens).toEqual(['old-1', 'older-0']);
    expect(resolve([]).commandPreviousTokens).toBeUndefined();
    const logged = JSON.stringify(loggableConfig(config));
    expect(logged).not.toContain('old-1');
    expect(loggableConfig(config)).toMatchObject({ commandPreviousTokens: '(set)' });
    expect(() => resolve(['--command-token-previous', 'a,,b'])).toThrow(
      'expected non-empty tokens separated by commas',
    );
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
