import { fingerprintError } from '../../../src/queues/failures/fingerprint';
import { FRAMES, KINDS, MESSAGES, failAs } from './app-errors';

/** The error `failAs` throws. */
function thrown(kind: string, n: number): Error {
  try {
    failAs(kind, n);
  } catch (error) {
    return error as Error;
  }
}

describe('the application errors the failure-group tests throw', () => {
  it.each(KINDS)('fingerprint %s alike for every job, at its own frame', (kind) => {
    const prints = [1, 2, 30].map((n) => {
      const error = thrown(kind, n);
      return fingerprintError(error.message, error.stack);
    });
    expect(new Set(prints.map((p) => p.key)).size).toBe(1);
    expect(prints[0]?.message).toBe(MESSAGES[kind]);
    expect(prints[0]?.frame).toMatch(new RegExp(`^${FRAMES[kind]} \\(.*app-errors\\.ts\\)$`));
  });
});
