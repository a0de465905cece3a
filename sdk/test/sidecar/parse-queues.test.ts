/** The queue syntax of `--queue`, `QUASAR_QUEUES` and the config file's `queues`. */
import { InvalidValue } from '../../src/sidecar/errors';
import {
  parseConfigQueues,
  parseQueueFlags,
  parseQueueList,
  parseQueueSpec,
} from '../../src/sidecar/parse-queues';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidValue);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidValue');
};

describe('parseQueueSpec', () => {
  it('defaults the type to laravel, as the Go agent does', () => {
    expect(parseQueueSpec('default')).toEqual({ name: 'default', type: 'laravel', options: {} });
  });

  it('maps the prefix to the option of each type', () => {
    expect(parseQueueSpec('default:laravel:laravel_database_').options).toEqual({
      redisPrefix: 'laravel_database_',
    });
    expect(parseQueueSpec('default:horizon:laravel-database-').options).toEqual({
      redisPrefix: 'laravel-database-',
    });
    expect(parseQueueSpec('mail:bullmq:{bull}').options).toEqual({ prefix: '{bull}' });
    expect(parseQueueSpec('mail:bull:legacy').options).toEqual({ prefix: 'legacy' });
    expect(parseQueueSpec('jobs:redis')).toEqual({ name: 'jobs', type: 'redis', options: {} });
  });

  it('keeps colons inside the prefix', () => {
    expect(parseQueueSpec('orders:stream:queue:')).toEqual({
      name: 'orders',
      type: 'stream',
      options: { prefix: 'queue:' },
    });
  });

  it('treats an empty type as the default type', () => {
    expect(parseQueueSpec('default::laravel_database_')).toEqual({
      name: 'default',
      type: 'laravel',
      options: { redisPrefix: 'laravel_database_' },
    });
  });

  it('rejects sqs and points to the config file', () => {
    expect(message(() => parseQueueSpec('jobs:sqs'))).toMatch(
      /queue "jobs".*config file.*queueUrl/,
    );
  });

  it('rejects a prefix on a plain Redis list', () => {
    expect(message(() => parseQueueSpec('jobs:redis:app_'))).toMatch(/type redis takes no prefix/);
  });

  it('rejects an unknown type, listing the known ones', () => {
    expect(message(() => parseQueueSpec('jobs:rabbit'))).toMatch(
      /unknown type "rabbit"; expected one of redis, laravel, horizon, bullmq, bull, stream, sqs/,
    );
  });

  it('rejects a spec without a name', () => {
    expect(message(() => parseQueueSpec(':laravel'))).toMatch(/queue name/);
  });
});

describe('parseQueueList', () => {
  it('splits on commas and ignores blanks and spaces', () => {
    expect(parseQueueList(' default:laravel , ,emails ').map((q) => q.name)).toEqual([
      'default',
      'emails',
    ]);
  });

  it('rejects a queue listed twice', () => {
    expect(message(() => parseQueueList('default,default:redis'))).toMatch(
      /queue "default" is listed twice/,
    );
  });
});

describe('parseQueueFlags', () => {
  it('parses each repeated flag value', () => {
    expect(parseQueueFlags(['a', 'b:bullmq'])).toEqual([
      { name: 'a', type: 'laravel', options: {} },
      { name: 'b', type: 'bullmq', options: {} },
    ]);
  });
});

describe('parseConfigQueues', () => {
  it('takes shorthand strings and objects with options, sqs included', () => {
    expect(
      parseConfigQueues([
        'default:laravel:laravel_database_',
        {
          name: 'jobs',
          type: 'sqs',
          options: { queueUrl: 'http://127.0.0.1:9324/000000000000/jobs', region: 'eu-west-1' },
        },
        { name: 'emails', type: 'horizon', options: { horizonPrefix: 'shop_horizon:' } },
        { name: 'plain' },
      ]),
    ).toEqual([
      { name: 'default', type: 'laravel', options: { redisPrefix: 'laravel_database_' } },
      {
        name: 'jobs',
        type: 'sqs',
        options: { queueUrl: 'http://127.0.0.1:9324/000000000000/jobs', region: 'eu-west-1' },
      },
      { name: 'emails', type: 'horizon', options: { horizonPrefix: 'shop_horizon:' } },
      { name: 'plain', type: 'laravel', options: {} },
    ]);
  });

  it('names the entry and key that is wrong', () => {
    expect(message(() => parseConfigQueues('default'))).toMatch(/expected an array of queues/);
    expect(message(() => parseConfigQueues([42]))).toMatch(
      /queues\[0\]: expected a string or an object/,
    );
    expect(message(() => parseConfigQueues([{ name: 'a', prefix: 'x' }]))).toMatch(
      /queues\[0\]: unknown key "prefix".*"options"/,
    );
    expect(message(() => parseConfigQueues(['a', { name: '' }]))).toMatch(/queues\[1\]\.name/);
    expect(message(() => parseConfigQueues([{ name: 'a', options: [] }]))).toMatch(
      /queues\[0\]\.options: expected an object/,
    );
  });
});
