/**
 * The remote-control settings: who may issue commands, how they are signed, how long they
 * live, and how much audit history Redis keeps. Part of the one settings table.
 */
import { bool, duration, integer, setting, text, tokenList } from './parsers';

/** Ten years: a longer retention is a typo, and `now − retention` must stay a valid stream id. */
const MAX_RETENTION_MS = 3650 * 86_400_000;

export const COMMAND_SETTINGS = [
  setting({
    key: 'apiWriteToken',
    flag: 'api-write-token',
    env: ['QUASAR_API_WRITE_TOKEN'],
    placeholder: 'token',
    help: 'Bearer token the command routes require; the API token then cannot issue commands',
    parse: text,
    secret: true,
  }),
  setting({
    key: 'commandToken',
    flag: 'command-token',
    env: ['QUASAR_TOKEN'],
    placeholder: 'token',
    help: 'Secret commands are signed with (HMAC-SHA256), shared with the agents',
    parse: text,
    secret: true,
  }),
  setting({
    key: 'commandPreviousTokens',
    flag: 'command-token-previous',
    env: ['QUASAR_TOKEN_PREVIOUS'],
    placeholder: 'tokens',
    help: 'Former command tokens, comma-separated, still tried when opening a sealed inspected job during a rotation',
    parse: tokenList,
    secret: true,
  }),
  setting({
    key: 'allowUnsignedCommands',
    flag: 'allow-unsigned-commands',
    env: [],
    boolean: true,
    help: 'Issue unsigned commands when no command token is set (development only; warned)',
    parse: bool,
  }),
  setting({
    key: 'commandTtlMs',
    flag: 'command-expiry',
    env: ['QUASAR_COMMAND_EXPIRY'],
    placeholder: 'duration',
    help: 'How long an issued command may still run (its expiresAt)',
    parse: duration(1000),
  }),
  setting({
    key: 'commandResultTimeoutMs',
    flag: 'command-result-timeout',
    env: ['QUASAR_COMMAND_RESULT_TIMEOUT'],
    placeholder: 'duration',
    help: 'How long a command without a result reads pending before expired',
    parse: duration(1000),
  }),
  setting({
    key: 'commandRatePerMinute',
    flag: 'command-rate',
    env: ['QUASAR_COMMAND_RATE'],
    placeholder: 'n',
    help: 'Commands one credential may issue per minute, sustained, per collector process (over it: 429)',
    parse: integer(1, 100_000),
  }),
  setting({
    key: 'commandBurst',
    flag: 'command-burst',
    env: ['QUASAR_COMMAND_BURST'],
    placeholder: 'n',
    help: 'Commands one credential may issue at once before --command-rate applies',
    parse: integer(1, 100_000),
  }),
  setting({
    key: 'auditRetentionMs',
    flag: 'audit-retention',
    env: ['QUASAR_AUDIT_RETENTION'],
    placeholder: 'duration',
    help: 'How long audit entries are kept (XADD MINID); younger ones are never trimmed',
    parse: duration(60_000, MAX_RETENTION_MS),
  }),
  setting({
    key: 'auditMaxLength',
    flag: 'audit-max-length',
    env: ['QUASAR_AUDIT_MAX_LENGTH'],
    placeholder: 'n',
    help: 'Memory backstop: most audit entries kept (XADD MAXLEN ~), whatever their age',
    parse: integer(100, 1_000_000_000),
  }),
] as const;
