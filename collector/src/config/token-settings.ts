/**
 * Who may use the API beyond the legacy `--api-token` / `--api-write-token`: named tokens with
 * scopes, and the read-only switch. Part of the one settings table.
 */
import { parseApiTokens } from './api-tokens';
import { bool, setting, text } from './parsers';

export const TOKEN_SETTINGS = [
  setting({
    key: 'apiTokens',
    flag: 'api-tokens',
    env: ['QUASAR_API_TOKENS'],
    placeholder: 'list',
    help: 'Named tokens with scopes: name:scope,scope:secret entries separated by spaces (scopes: read, inspect, retry, delete, pause, or *)',
    parse: parseApiTokens,
    secret: true,
  }),
  setting({
    key: 'apiTokensFile',
    flag: 'api-tokens-file',
    env: ['QUASAR_API_TOKENS_FILE'],
    placeholder: 'path',
    help: 'File of named tokens, one name:scopes:secret a line (# comments), added to --api-tokens',
    parse: text,
  }),
  setting({
    key: 'readOnly',
    flag: 'read-only',
    env: ['QUASAR_READ_ONLY'],
    boolean: true,
    help: 'Refuse every command (403 QUASAR_READ_ONLY), whatever the token',
    parse: bool,
  }),
] as const;
