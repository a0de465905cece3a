/** The sidecar's stderr logger: one line per message, at or above its level. */
import { stderrLogger } from '../../src/sidecar/stderr-logger';

describe('stderrLogger', () => {
  it('writes one timestamped line per message, and drops lines below its level', () => {
    const lines: string[] = [];
    const logger = stderrLogger((text) => lines.push(text), 'warn');
    logger.debug('noise');
    logger.info('started');
    logger.warn('Redis is\nunreachable');
    logger.error('boom');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn Redis is unreachable\n$/,
    );
    expect(lines[1]).toMatch(/ error boom\n$/);
  });
});
