import { RedisUrlError, parseRedisUrl, redactRedisUrl } from '../../src/redis/redis-url';

describe('parseRedisUrl', () => {
  it('reads a single Redis as ioredis does', () => {
    expect(parseRedisUrl('redis://:pw@10.0.0.1:6380/3')).toEqual({
      kind: 'single',
      url: 'redis://:pw@10.0.0.1:6380/3',
      tls: false,
    });
    expect(parseRedisUrl('rediss://cache.example:6379')).toMatchObject({
      kind: 'single',
      tls: true,
    });
  });

  it('reads a cluster from its seed nodes, with credentials and TLS', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001')).toEqual({
      kind: 'cluster',
      seeds: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseRedisUrl('rediss+cluster://quasar:p%40ss%3Aw@cfg.example:6379/')).toEqual({
      kind: 'cluster',
      seeds: [{ host: 'cfg.example', port: 6379 }],
      username: 'quasar',
      password: 'p@ss:w',
      tls: true,
    });
    expect(parseRedisUrl('redis+cluster://:secret@[::1]:7000/0')).toMatchObject({
      seeds: [{ host: '::1', port: 7000 }],
      username: undefined,
      password: 'secret',
    });
  });

  it.each([
    ['', 'empty'],
    ['http://h:1', 'starts with redis://'],
    ['redis+cluster://h1', 'not host:port'],
    ['redis+cluster://h1:7000,h2', 'not host:port'],
    ['redis+cluster://h1:99999', 'no valid port'],
    ['redis+cluster://h1:7000/2', 'one database'],
    ['redis+cluster://h1:7000?tls=1', 'no query'],
    ['redis+cluster:h1:7000', 'expected redis+cluster://'],
    ['redis+cluster://u:%zz@h1:7000', 'percent-encoding'],
    [
      `redis+cluster://${Array.from({ length: 65 }, (_, i) => `h${i}:7000`).join(',')}`,
      'at most 64',
    ],
    [`redis://${'h'.repeat(5000)}:1`, 'longer than'],
  ])('refuses %j with a reason', (url, reason) => {
    expect(() => parseRedisUrl(url)).toThrow(RedisUrlError);
    expect(() => parseRedisUrl(url)).toThrow(reason);
  });

  it('never echoes a password', () => {
    expect(redactRedisUrl('redis+cluster://u:secret@h1:7000,h2:7001')).toBe(
      'redis+cluster://u:***@h1:7000,h2:7001',
    );
    expect(redactRedisUrl('redis://:secret@h:6379/0')).toBe('redis://:***@h:6379/0');
    expect(redactRedisUrl('redis://h:6379')).toBe('redis://h:6379');
  });
});
