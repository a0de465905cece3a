/**
 * Command signatures: `sig` = HMAC-SHA256(token, canonicalCommand(command)), in lowercase hex.
 * The collector signs; the agent verifies in constant time before anything else runs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalCommand } from '../schema/command';
import type { QuasarCommand } from '../schema/command';

/** A SHA-256 HMAC: 32 bytes, 64 lowercase hex digits. */
const SIG_PATTERN = /^[0-9a-f]{64}$/;

function hmacOf(command: QuasarCommand, token: string): Buffer {
  return createHmac('sha256', token).update(canonicalCommand(command), 'utf8').digest();
}

/**
 * A copy of `command` carrying its signature; a `sig` it already had is replaced.
 * @throws TypeError when `token` is empty: an empty key would sign, and protect nothing.
 */
export function signCommand(command: QuasarCommand, token: string): QuasarCommand {
  if (typeof token !== 'string' || token === '') {
    throw new TypeError('signCommand: the token must be a non-empty string');
  }
  return { ...command, sig: hmacOf(command, token).toString('hex') };
}

/**
 * Whether `command.sig` is the signature of the command under `token`. False, never a throw,
 * for an unsigned command, a malformed `sig`, an empty token or a command that cannot be
 * serialised.
 */
export function verifyCommand(command: QuasarCommand, token: string): boolean {
  try {
    const sig = command.sig;
    if (typeof sig !== 'string' || !SIG_PATTERN.test(sig)) return false;
    if (typeof token !== 'string' || token === '') return false;
    const expected = hmacOf(command, token);
    const given = Buffer.from(sig, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  } catch {
    return false;
  }
}

/**
 * Whether `command.sig` is the signature of the command under any of `tokens`: the current
 * token and those still accepted during a rotation. Every token is compared, each in constant
 * time, rather than stopping at the first match. False for an empty list.
 */
export function verifyCommandWithAny(command: QuasarCommand, tokens: readonly string[]): boolean {
  let verified = false;
  for (const token of tokens) {
    // verifyCommand first, so that a match found earlier never skips a comparison.
    verified = verifyCommand(command, token) || verified;
  }
  return verified;
}
