/**
 * The text form of named API tokens, in `QUASAR_API_TOKENS` and in the file
 * `QUASAR_API_TOKENS_FILE` names: entries `name:scopes:secret`, separated by spaces, `;` or
 * line breaks; scopes separated by `,`, or `*` for all; `#` starts a comment to the line's end.
 * Messages name an entry by its position and name, never by its secret.
 */
import { readFileSync } from 'node:fs';
import type { ApiTokenSpec } from '../auth/principal';
import { ALL_SCOPES, SCOPES, isScope } from '../auth/scopes';
import type { Scope } from '../auth/scopes';
import { InvalidValue } from './parsers';

/** Largest token file read, bytes: 64 tokens take a few KiB. */
export const MAX_TOKEN_FILE_BYTES = 64 * 1024;

function scopesOf(text: string, where: string): Scope[] {
  if (text === ALL_SCOPES) return [...SCOPES];
  const scopes = text.split(',').filter((s) => s !== '');
  if (scopes.length === 0) throw new InvalidValue(`${where}: no scope`);
  for (const scope of scopes) {
    if (!isScope(scope)) {
      // A word is quoted back; anything else may be a secret written in the wrong place.
      const shown = /^[a-z]{1,16}$/.test(scope) ? JSON.stringify(scope) : '(not shown)';
      throw new InvalidValue(
        `${where}: unknown scope ${shown} (expected ${SCOPES.join(', ')} or ${ALL_SCOPES})`,
      );
    }
  }
  return [...new Set(scopes as Scope[])];
}

/** Parses a token list; the names, secrets and counts are checked later, with the legacy ones. */
export function parseApiTokens(text: string): ApiTokenSpec[] {
  const entries = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    .split(/[\s;]+/)
    .filter((e) => e !== '');
  if (entries.length === 0) throw new InvalidValue('no token');
  return entries.map((entry, i) => {
    const first = entry.indexOf(':');
    const second = first === -1 ? -1 : entry.indexOf(':', first + 1);
    if (first <= 0 || second === -1) {
      throw new InvalidValue(`entry ${i + 1}: expected name:scopes:secret`);
    }
    const name = entry.slice(0, first);
    const where = `entry ${i + 1} (${JSON.stringify(name.slice(0, 64))})`;
    const secret = entry.slice(second + 1);
    if (secret === '') throw new InvalidValue(`${where}: no secret`);
    return { name, scopes: scopesOf(entry.slice(first + 1, second), where), secret };
  });
}

/** Reads and parses the token file at `path`. */
export function readApiTokensFile(path: string): ApiTokenSpec[] {
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_TOKEN_FILE_BYTES) {
      throw new InvalidValue(`the file is larger than ${MAX_TOKEN_FILE_BYTES} bytes`);
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof InvalidValue) throw error;
    throw new InvalidValue(`cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  return parseApiTokens(text);
}
