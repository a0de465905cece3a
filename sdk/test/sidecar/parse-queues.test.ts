/**
 * The queue syntax of `--queue`, `QUASAR_QUEUES` and the config file's `queues`: the Go agent's
 * `name[:type[:prefix]]`, meaning what it means there, plus this sidecar's own types and objects.
 */
import { InvalidValue } from '../../src/sidecar/errors';
import {
  parseConfigQueues,
  parseQueueFlags,
  parseQueueList,
  parseQueueSpec,
  withLaravelPrefix,
} from '../../src/sidecar/parse-queues';
import type { QueueSpec } from '../../src/sidecar/parse-queues';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidValue);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidValue');
};

/** Runs `parse` with a warning collector; returns its result and the warnings. */
function withWarnings<T>(parse: (warn: (m: string) => void) => T): {
  value: T;
  warnings: string[];
} {
  const warnings: string[] = [];
  const value = parse((m) => warnings.push(m));
  return { value, warnings };
}

/** One spec, which must parse without a warning. */
const spec = (text: string): QueueSpec | undefined => {
  const { value, warnings } = withWarnings((warn) => parseQueueSpec(text, warn));
  expect(warnings).toEqual([]);
  return value;
};

const shorthand = (
  name: string,
  type: string,
  options: Record<string, unknown> = {},
): QueueSpec => ({ name, type, options, form: 'shorthand' });

describe('parseQueueSpec', () => {
  it('defaults the type to laravel, as the Go agent does', () => {
    expect(spec('default')).toEqual(shorthand('default', 'laravel'));
  });

  it('takes the laravel prefix as the key base that replaces "queues", as the Go agent does', () => {
    expect(spec('default:laravel:laravel_database_queues')).toEqual(
      shorthand('default', 'laravel', { queueKeyPrefix: 'laravel_database_queues' }),
    );
    expect(spec('invoices:laravel:shop-database-queues')?.options).toEqual({
      queueKeyPrefix: 'shop-database-queues',
    });
    expect(spec('default:horizon:laravel-database-queues')?.options).toEqual({
      queueKeyPrefix: 'laravel-database-queues',
    });
  });

  it('maps the prefix of this sidecar’s own types to their prefix option', () => {
    expect(spec('mail:bullmq:{bull}')?.options).toEqual({ prefix: '{bull}' });
    expect(spec('mail:bull:legacy')?.options).toEqual({ prefix: 'legacy' });
    expect(spec('jobs:redis')).toEqual(shorthand('jobs', 'redis'));
  });

  it('keeps colons inside the prefix', () => {
    expect(spec('orders:stream:queue:')).toEqual(
      shorthand('orders', 'stream', { prefix: 'queue:' }),
    );
  });

  it('treats an empty type as the default type', () => {
    expect(spec('default::queues')).toEqual(
      shorthand('default', 'laravel', { queueKeyPrefix: 'queues' }),
    );
  });

  it('ignores a prefix on a plain Redis list, as the Go agent does, naming the segment', () => {
    const { value, warnings } = withWarnings((warn) => parseQueueSpec('jobs:redis:app_', warn));
    expect(value).toEqual(shorthand('jobs', 'redis'));
    expect(warnings).toEqual([
      expect.stringMatching(/queue "jobs": type redis takes no prefix.*"app_" is ignored/),
    ]);
  });

  it('skips an unknown type with a warning naming it and the known ones', () => {
    const { value, warnings } = withWarnings((warn) => parseQueueSpec('jobs:rabbit', warn));
    expect(value).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(
        /queue "jobs" has unknown type "rabbit" \(known: redis, laravel, horizon, bullmq, bull, stream, sqs\); skipped/,
      ),
    ]);
  });

  it('skips sqs with a warning pointing to the config file', () => {
    const { value, warnings } = withWarnings((warn) => parseQueueSpec('jobs:sqs', warn));
    expect(value).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/queue "jobs" skipped: .*config file.*queueUrl/),
    ]);
  });

  it('skips an entry without a name, with a warning showing it', () => {
    const { value, warnings } = withWarnings((warn) => parseQueueSpec(' :laravel', warn));
    expect(value).toBeUndefined();
    expect(warnings).toEqual(['entry ":laravel" has no queue name; skipped']);
  });

  it.each([
    ['laravel', 'laravel_database_'],
    ['laravel', 'laravel-database-'],
    ['horizon', 'shop_database_'],
  ])(
    'warns that a %s prefix like %s now replaces "queues", and says how to write the connection prefix',
    (type, prefix) => {
      const { value, warnings } = withWarnings((warn) =>
        parseQueueSpec(`default:${type}:${prefix}`, warn),
      );
      expect(value?.options).toEqual({ queueKeyPrefix: prefix });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`reads ${prefix}:default`);
      expect(warnings[0]).toContain(`default:${type}:${prefix}queues`);
      expect(warnings[0]).toContain('QUASAR_LARAVEL_PREFIX');
    },
  );
});

describe('parseQueueList', () => {
  it('splits on commas and ignores blank entries, spaces and a trailing comma', () => {
    const { value, warnings } = withWarnings((warn) =>
      parseQueueList(' default:laravel , ,emails ,', warn),
    );
    expect(value.map((q) => q.name)).toEqual(['default', 'emails']);
    expect(warnings).toEqual([]);
  });

  it('monitors a name listed twice once, as first written, and warns about the other', () => {
    const { value, warnings } = withWarnings((warn) =>
      parseQueueList('default,default:redis', warn),
    );
    expect(value).toEqual([shorthand('default', 'laravel')]);
    expect(warnings).toEqual(['queue "default" is listed twice; the later entry is skipped']);
  });
});

describe('parseQueueFlags', () => {
  it('parses each repeated flag value', () => {
    expect(withWarnings((warn) => parseQueueFlags(['a', 'b:bullmq'], warn))).toEqual({
      value: [shorthand('a', 'laravel'), shorthand('b', 'bullmq')],
      warnings: [],
    });
  });
});

describe('parseConfigQueues', () => {
  it('takes shorthand strings and objects with options, sqs included', () => {
    const { value, warnings } = withWarnings((warn) =>
      parseConfigQueues(
        [
          'default:laravel:laravel_database_queues',
          {
            name: 'jobs',
            type: 'sqs',
            options: { queueUrl: 'http://127.0.0.1:9324/000000000000/jobs', region: 'eu-west-1' },
          },
          { name: 'emails', type: 'horizon', options: { horizonPrefix: 'shop_horizon:' } },
          { name: 'plain' },
        ],
        warn,
      ),
    );
    expect(warnings).toEqual([]);
    expect(value).toEqual([
      shorthand('default', 'laravel', { queueKeyPrefix: 'laravel_database_queues' }),
      {
        name: 'jobs',
        type: 'sqs',
        options: { queueUrl: 'http://127.0.0.1:9324/000000000000/jobs', region: 'eu-west-1' },
        form: 'object',
      },
      {
        name: 'emails',
        type: 'horizon',
        options: { horizonPrefix: 'shop_horizon:' },
        form: 'object',
      },
      { name: 'plain', type: 'laravel', options: {}, form: 'object' },
    ]);
  });

  it('skips a string entry the Go agent would ignore, and a duplicate name, with warnings', () => {
    const { value, warnings } = withWarnings((warn) =>
      parseConfigQueues(['a:rabbit', 'b', { name: 'b', type: 'redis' }], warn),
    );
    expect(value.map((q) => q.name)).toEqual(['b']);
    expect(warnings).toHaveLength(2);
  });

  it('names the entry and key that is wrong in an object, which stays strict', () => {
    const parse = (raw: unknown) => () => parseConfigQueues(raw, () => undefined);
    expect(message(parse('default'))).toMatch(/expected an array of queues/);
    expect(message(parse([42]))).toMatch(/queues\[0\]: expected a string or an object/);
    expect(message(parse([{ name: 'a', prefix: 'x' }]))).toMatch(
      /queues\[0\]: unknown key "prefix".*"options"/,
    );
    expect(message(parse(['a', { name: '' }]))).toMatch(/queues\[1\]\.name/);
    expect(message(parse([{ name: 'a', options: [] }]))).toMatch(
      /queues\[0\]\.options: expected an object/,
    );
  });
});

describe('withLaravelPrefix', () => {
  it('sets redisPrefix on laravel and horizon queues written as shorthand only', () => {
    const queues: QueueSpec[] = [
      shorthand('default', 'laravel'),
      shorthand('mails', 'horizon', { queueKeyPrefix: 'queues' }),
      shorthand('jobs', 'bullmq'),
      { name: 'own', type: 'laravel', options: { redisPrefix: 'other_' }, form: 'object' },
    ];
    const { queues: result, applied } = withLaravelPrefix(queues, 'laravel_database_');
    expect(applied).toBe(2);
    expect(result.map((q) => q.options)).toEqual([
      { redisPrefix: 'laravel_database_' },
      { queueKeyPrefix: 'queues', redisPrefix: 'laravel_database_' },
      {},
      { redisPrefix: 'other_' },
    ]);
  });
});
