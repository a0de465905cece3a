/** Catching the option error a synchronous call throws, to assert on the option it names. */
import { QuasarConfigError } from '../../src/options/errors';

/**
 * The `QuasarConfigError` that `fn` throws. Any other error is rethrown, and a call that
 * returns without throwing fails the test.
 */
export function configErrorOf(fn: () => unknown): QuasarConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof QuasarConfigError) return error;
    throw error;
  }
  throw new Error('expected a QuasarConfigError');
}
