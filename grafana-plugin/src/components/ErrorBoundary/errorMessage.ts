/** What a caught error says, safe to render whatever was thrown. */
import { text } from '../../api/read';

/** Characters of an error message a fallback shows; a stack or a payload in it stays out. */
export const MAX_ERROR_MESSAGE_LENGTH = 300;

/** The message of `error`, cut to {@link MAX_ERROR_MESSAGE_LENGTH}; never throws. */
export function errorMessage(error: unknown): string {
  let message: unknown;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    // A thrown value may have no usable `toString` (`Object.create(null)`, a throwing getter).
    message = null;
  }
  return text(message, MAX_ERROR_MESSAGE_LENGTH) || 'unknown error';
}
