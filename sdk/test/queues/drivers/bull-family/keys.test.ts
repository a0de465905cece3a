/**
 * The options of the `bull` and `bullmq` probes, which take the same one: `prefix`, a
 * non-empty string (see `bullPrefixOption`).
 */
import { bullProbe } from '../../../../src/queues/drivers/bull/probe';
import { bullmqProbe } from '../../../../src/queues/drivers/bullmq/probe';
import { configErrorOf } from '../../../support/config-error';

describe.each([bullProbe, bullmqProbe])('$type probe options', (probe) => {
  it('rejects an unknown option, naming it', () => {
    const error = configErrorOf(() => probe.create('emails', { prefx: 'bull' }));
    expect(error).toMatchObject({ option: 'prefx', message: expect.stringContaining('"prefx"') });
  });

  it('rejects a prefix that is not a non-empty string, naming prefix', () => {
    for (const prefix of [42, '']) {
      const error = configErrorOf(() => probe.create('emails', { prefix }));
      expect(error).toMatchObject({
        option: 'prefix',
        message: expect.stringContaining('"prefix"'),
      });
    }
  });
});
