/**
 * The remote-control settings: who may issue commands, how they are signed, how long they
 * live, and how much audit history Redis keeps. Part of the one settings table.
 */
import { bool, duration, integer, setting, text } from './parsers';

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
    key: 'auditMaxLength',
    flag: 'audit-max-length',
    env: ['QUASAR_AUDIT_MAX_LENGTH'],
    placeholder: 'n',
    help: 'Approximate number of audit entries kept (XADD MAXLEN ~)',
    parse: integer(100, 10_000_000),
  }),
] as const;
