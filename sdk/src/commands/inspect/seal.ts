/**
 * Sealing of an inspected job: AES-256-GCM under a key derived from the command token, so the
 * result key on the transport Redis never holds a payload in clear where commands are signed.
 * The command id is the additional data: a sealed job moved under another command's result
 * does not open.
 *
 * Key: HKDF-SHA256(ikm = token, salt = `gravito-quasar`, info = `inspect-job v1`), 32 bytes.
 * IV: 12 random bytes. Every field base64. See docs/protocol.md, Commands.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SealedJob } from '../../schema/inspected-job';

const SALT = 'gravito-quasar';
const INFO = 'inspect-job v1';

function keyOf(token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, SALT, INFO, 32));
}

/** Seals `json` (an inspected job's JSON text) for `commandId` under `token`. */
export function sealJob(json: string, token: string, commandId: string): SealedJob {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(token), iv);
  cipher.setAAD(Buffer.from(commandId, 'utf8'));
  const data = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  return {
    sealed: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/**
 * The JSON text inside `sealed`, opened with the first of `tokens` that opens it (the current
 * token, then those of a rotation); undefined when none does (another token, another command,
 * or a tampered envelope).
 */
export function unsealJob(
  sealed: SealedJob,
  tokens: readonly string[],
  commandId: string,
): string | undefined {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== 12 || tag.length !== 16) return undefined;
  const data = Buffer.from(sealed.data, 'base64');
  for (const token of tokens) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyOf(token), iv);
      decipher.setAAD(Buffer.from(commandId, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      // Not this token (or not this command): try the next.
    }
  }
  return undefined;
}
