/**
 * An error fingerprint: what makes two failures the same failure. The normalised message (see
 * `normaliseMessage`) and, where a stack is at hand, the first frame of the application's own
 * code (see `appFrame`), hashed into a short stable key that every agent and collector computes
 * alike.
 */
import { createHash } from 'node:crypto';
import { appFrame } from './app-frame';
import { normaliseMessage } from './normalise';

export interface ErrorFingerprint {
  /** 16 hex characters, stable across processes and versions of the same inputs. */
  key: string;
  /** The normalised message, `<n>`, `<str>`, `<id>`, … in place of values. */
  message: string;
  /** The first application frame, where the stack had one. */
  frame?: string;
}

/** The message used when a failure carries no reason. */
export const NO_REASON = '(no reason)';

/**
 * The fingerprint of a failure's reason and, optionally, its stack, its frame relative to
 * `root` where under it (see `appFrame`). Never throws.
 */
export function fingerprintError(
  reason: unknown,
  stack?: unknown,
  root?: string,
): ErrorFingerprint {
  const message =
    typeof reason === 'string' && reason.trim() !== '' ? normaliseMessage(reason) : NO_REASON;
  const frame = typeof stack === 'string' ? appFrame(stack, root) : undefined;
  const key = createHash('sha256')
    .update(frame === undefined ? message : `${message}\n${frame}`)
    .digest('hex')
    .slice(0, 16);
  return frame === undefined ? { key, message } : { key, message, frame };
}
