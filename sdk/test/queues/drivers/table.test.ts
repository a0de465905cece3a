/** The driver table: one row per queue system, read by every registry. */
import { executorFor } from '../../../src/commands/executor-registry';
import { driverOf, QUEUE_DRIVERS } from '../../../src/queues/drivers/table';
import type { QueueDriver } from '../../../src/queues/drivers/types';
import { PROBE_TYPES, QUEUE_TYPES } from '../../../src/queues/registry';
import { COMMAND_VERBS } from '../../../src/schema/command';

describe('the driver table', () => {
  it('has one row per system, each named once', () => {
    const types = QUEUE_DRIVERS.map((d) => d.type);
    expect(types).toEqual(['redis', 'laravel', 'horizon', 'bullmq', 'bull', 'stream', 'sqs']);
    expect(new Set(types).size).toBe(types.length);
  });

  it.each(QUEUE_DRIVERS.map((d) => [d.type, d] as const))(
    'gives the %s row a probe and executors of its own type',
    (type, driver) => {
      expect(driver.probe.type).toBe(type);
      for (const verb of COMMAND_VERBS) {
        const executor = driver.executors[verb];
        if (executor !== null)
          expect({ type: executor.type, verb: executor.verb }).toEqual({ type, verb });
      }
    },
  );

  it('is what the probe and executor registries serve', () => {
    expect(QUEUE_TYPES).toEqual(QUEUE_DRIVERS.map((d) => d.type));
    for (const driver of QUEUE_DRIVERS) {
      expect(PROBE_TYPES.get(driver.type)).toBe(driver.probe);
      for (const verb of COMMAND_VERBS) {
        expect(executorFor(driver.type, verb)).toBe(driver.executors[verb] ?? undefined);
      }
    }
  });

  it('has ACL rules for every system on Redis and none for sqs', () => {
    for (const driver of QUEUE_DRIVERS) {
      expect({ type: driver.type, acl: driver.acl !== null }).toEqual({
        type: driver.type,
        acl: driver.probe.usesRedis,
      });
    }
  });

  it('finds no row for a type no system declares, inherited names included', () => {
    for (const type of ['kafka', 'constructor', '__proto__', 'toString']) {
      expect(driverOf(type)).toBeUndefined();
    }
  });

  it('makes a row that leaves out a verb a compile error', () => {
    const redis = driverOf('redis') as QueueDriver;
    // @ts-expect-error every verb must be declared, as an executor or as null
    const incomplete: QueueDriver = { ...redis, executors: { retry: null } };
    expect(incomplete.executors).toEqual({ retry: null });
  });
});
