import { executorFor } from '../../src/commands/executor-registry';
import { COMMAND_VERBS } from '../../src/schema/command';
import { QUEUE_TYPES } from '../../src/queues/registry';

describe('executor table', () => {
  it('has a retry and a delete executor for every queue type a probe reads', () => {
    for (const type of QUEUE_TYPES) {
      for (const verb of COMMAND_VERBS) {
        const executor = executorFor(type, verb);
        expect({ type, verb, found: executor?.type === type && executor.verb === verb }).toEqual({
          type,
          verb,
          found: true,
        });
      }
    }
  });

  it('has nothing for an unknown type', () => {
    expect(executorFor('kafka', 'retry')).toBeUndefined();
  });
});
