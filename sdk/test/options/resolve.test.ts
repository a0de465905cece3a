import Redis, { Cluster } from 'ioredis';
import { resolveOptions } from '../../src/options/resolve';
import type { QuasarOptions } from '../../src/options/types';
import { configErrorOf } from '../support/config-error';

const base: QuasarOptions = { service: 'api' };

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    const r = resolveOptions(base, {});
    expect(r.intervalMs).toBe(10_000);
    expect(r.transport.url).toBe('redis://localhost:6379');
    expect(r.monitor).toBeUndefined();
    expect(r.name).toBeUndefined();
    expect(r.hostRoot).toBe('/');
    expect(r.otel).toEqual({
      enabled: true,
      meterProvider: undefined,
      exportOtlp: false,
      selfExport: undefined,
    });
  });

  it("reads the Go agent's environment names", () => {
    const r = resolveOptions(undefined, {
      QUASAR_SERVICE: 'billing',
      QUASAR_NAME: 'box-7',
      QUASAR_REDIS_URL: 'redis://transport:6379/2',
      QUASAR_MONITOR_REDIS_URL: 'redis://app:6379/0',
      QUASAR_INTERVAL: '2.5',
    });
    expect(r.service).toBe('billing');
    expect(r.name).toBe('box-7');
    expect(r.transport.url).toBe('redis://transport:6379/2');
    expect(r.monitor?.url).toBe('redis://app:6379/0');
    expect(r.intervalMs).toBe(2500);
  });

  it('prefers QUASAR_TRANSPORT_REDIS_URL over QUASAR_REDIS_URL over REDIS_URL', () => {
    const env = {
      REDIS_URL: 'redis://c:1',
      QUASAR_REDIS_URL: 'redis://b:1',
      QUASAR_TRANSPORT_REDIS_URL: 'redis://a:1',
    };
    expect(resolveOptions(base, env).transport.url).toBe('redis://a:1');
    expect(
      resolveOptions(base, { ...env, QUASAR_TRANSPORT_REDIS_URL: undefined }).transport.url,
    ).toBe('redis://b:1');
    expect(resolveOptions(base, { REDIS_URL: 'redis://c:1' }).transport.url).toBe('redis://c:1');
  });

  it('lets explicit options win over the environment', () => {
    const env = {
      QUASAR_SERVICE: 'env',
      QUASAR_INTERVAL: '30',
      QUASAR_REDIS_URL: 'redis://env:1',
      QUASAR_NAME: 'env',
    };
    const r = resolveOptions(
      { service: 'opt', interval: 500, name: 'opt', transport: { url: 'redis://opt:1' } },
      env,
    );
    expect([r.service, r.intervalMs, r.name, r.transport.url]).toEqual([
      'opt',
      500,
      'opt',
      'redis://opt:1',
    ]);
  });

  it('takes the legacy redisUrl over the environment, and transport.url over redisUrl', () => {
    expect(
      resolveOptions({ ...base, redisUrl: 'redis://legacy:1' }, { REDIS_URL: 'redis://env:1' })
        .transport.url,
    ).toBe('redis://legacy:1');
    expect(
      resolveOptions(
        { ...base, redisUrl: 'redis://legacy:1', transport: { url: 'rediss://t:1' } },
        {},
      ).transport.url,
    ).toBe('rediss://t:1');
  });

  it('reads QUASAR_OTLP_EXPORT as a boolean', () => {
    expect(resolveOptions(base, { QUASAR_OTLP_EXPORT: 'true' }).otel.exportOtlp).toBe(true);
    expect(resolveOptions(base, { QUASAR_OTLP_EXPORT: '0' }).otel.exportOtlp).toBe(false);
  });

  it.each<[string, QuasarOptions | undefined, Record<string, string>, string, RegExp]>([
    ['missing service', {}, {}, 'service', /Missing option "service".*QUASAR_SERVICE/],
    ['service with a colon', { service: 'a:b' }, {}, 'service', /Invalid option "service"/],
    ['service with a glob', { service: 'api*' }, {}, 'service', /Invalid option "service"/],
    ['service "constructor"', { service: 'constructor' }, {}, 'service', /Object\.prototype/],
    ['service "__proto__"', { service: '__proto__' }, {}, 'service', /Object\.prototype/],
    ['service "toString"', { service: 'toString' }, {}, 'service', /Object\.prototype/],
    ['service of 129 characters', { service: 's'.repeat(129) }, {}, 'service', /1–128/],
    ['service with a newline', { service: 'api\nx' }, {}, 'service', /Invalid option "service"/],
    [
      'blank service from env',
      undefined,
      { QUASAR_SERVICE: ' ' },
      'service',
      /"service" \(from QUASAR_SERVICE\)/,
    ],
    ['name with a space', { ...base, name: 'my box' }, {}, 'name', /Invalid option "name"/],
    ['name of 5 MB', { ...base, name: 'n'.repeat(5 << 20) }, {}, 'name', /1–240 characters/],
    [
      'interval too small',
      { ...base, interval: 5 },
      {},
      'interval',
      /"interval": expected a number of milliseconds ≥ 100, got 5/,
    ],
    [
      'interval not a number',
      { ...base, interval: '10' as unknown as number },
      {},
      'interval',
      /got "10"/,
    ],
    [
      'QUASAR_INTERVAL garbage',
      base,
      { QUASAR_INTERVAL: 'ten' },
      'interval',
      /"interval" \(from QUASAR_INTERVAL\)/,
    ],
    [
      'http transport url',
      { ...base, transport: { url: 'http://x' } },
      {},
      'transport.url',
      /"transport.url"/,
    ],
    [
      'garbage REDIS_URL',
      base,
      { REDIS_URL: 'nope' },
      'transport.url',
      /"transport.url" \(from REDIS_URL\)/,
    ],
    [
      'bad monitor env',
      base,
      { QUASAR_MONITOR_REDIS_URL: 'x:y' },
      'monitor.url',
      /QUASAR_MONITOR_REDIS_URL/,
    ],
    ['bad legacy redisUrl', { ...base, redisUrl: 'mysql://x' }, {}, 'redisUrl', /"redisUrl"/],
    [
      'client that is not ioredis',
      { ...base, transport: { client: {} as never } },
      {},
      'transport.client',
      /ioredis Redis or Cluster client/,
    ],
    ['probe without getMetrics', { ...base, probe: {} as never }, {}, 'probe', /getMetrics/],
    [
      'meterProvider without getMeter',
      { ...base, otel: { meterProvider: {} as never } },
      {},
      'otel.meterProvider',
      /MeterProvider/,
    ],
    [
      'exportOtlp from env',
      base,
      { QUASAR_OTLP_EXPORT: 'maybe' },
      'otel.exportOtlp',
      /QUASAR_OTLP_EXPORT/,
    ],
    ['relative hostRoot', { ...base, hostRoot: 'host' }, {}, 'hostRoot', /absolute path/],
  ])('rejects %s, naming the option', (_label, options, env, option, message) => {
    const error = configErrorOf(() => resolveOptions(options, env));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it('never echoes a password from a bad URL', () => {
    const error = configErrorOf(() =>
      resolveOptions({ ...base, transport: { url: 'http://user:s3cret@host:1' } }, {}),
    );
    expect(error.message).not.toContain('s3cret');
  });
});

describe('resolveOptions on a Redis Cluster', () => {
  const base = { service: 'svc' };
  const cluster = 'redis+cluster://app:s3cret@10.0.0.1:7000,10.0.0.2:7000';

  it.each([
    ['transport.url', { ...base, transport: { url: cluster } }, {}],
    ['redisUrl', { ...base, redisUrl: cluster }, {}],
    ['QUASAR_TRANSPORT_REDIS_URL', base, { QUASAR_TRANSPORT_REDIS_URL: cluster }],
    ['REDIS_URL (TLS)', base, { REDIS_URL: cluster.replace('redis+', 'rediss+') }],
  ])('takes a cluster URL from %s and defaults the key layout to v2', (_from, options, env) => {
    const r = resolveOptions(options, env);
    expect(r.transport.url).toMatch(/^rediss?\+cluster:\/\//);
    expect(r.keyLayout).toBe('v2');
  });

  it('takes a cluster URL for the monitor connection, leaving a single transport on v1', () => {
    const r = resolveOptions({ ...base }, { QUASAR_MONITOR_REDIS_URL: cluster });
    expect(r.monitor?.url).toBe(cluster);
    expect(r.keyLayout).toBe('v1');
  });

  it('defaults to v2 for a Cluster client and to v1 for a single client', () => {
    const clusterClient = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    const single = new Redis({ lazyConnect: true });
    expect(resolveOptions({ ...base, transport: { client: clusterClient } }, {}).keyLayout).toBe(
      'v2',
    );
    expect(resolveOptions({ ...base, transport: { client: single } }, {}).keyLayout).toBe('v1');
    clusterClient.disconnect();
    single.disconnect();
  });

  it('takes keyLayout explicitly, then from QUASAR_KEY_LAYOUT, over the default', () => {
    expect(resolveOptions({ ...base, redisUrl: cluster, keyLayout: 'v1' }, {}).keyLayout).toBe(
      'v1',
    );
    expect(
      resolveOptions({ ...base, redisUrl: cluster }, { QUASAR_KEY_LAYOUT: 'v1' }).keyLayout,
    ).toBe('v1');
    expect(resolveOptions(base, { QUASAR_KEY_LAYOUT: 'v2' }).keyLayout).toBe('v2');
    expect(
      resolveOptions({ ...base, keyLayout: 'v1' }, { QUASAR_KEY_LAYOUT: 'v2' }).keyLayout,
    ).toBe('v1');
  });

  it.each([
    [
      'an unknown keyLayout',
      { ...base, keyLayout: 'v3' as never },
      {},
      'keyLayout',
      /"keyLayout": expected 'v1' or 'v2', got "v3"/,
    ],
    [
      'a bad QUASAR_KEY_LAYOUT',
      base,
      { QUASAR_KEY_LAYOUT: 'V2 ' },
      'keyLayout',
      /"keyLayout" \(from QUASAR_KEY_LAYOUT\)/,
    ],
    [
      'a cluster seed without a port',
      { ...base, transport: { url: 'redis+cluster://app:s3cret@10.0.0.1' } },
      {},
      'transport.url',
      /"transport.url": expected .*redis\+cluster:\/\/.*\(cluster seed "10.0.0.1" is not host:port/,
    ],
    [
      'a cluster URL with a database',
      base,
      { QUASAR_MONITOR_REDIS_URL: 'redis+cluster://:s3cret@h:7000/3' },
      'monitor.url',
      /"monitor.url" \(from QUASAR_MONITOR_REDIS_URL\).*one database/,
    ],
    [
      'a cluster URL with a query',
      { ...base, redisUrl: 'rediss+cluster://u:s3cret@h:7000?tls=1' },
      {},
      'redisUrl',
      /"redisUrl".*no query/,
    ],
  ])(
    'rejects %s, naming the option and hiding the password',
    (_l, options, env, option, message) => {
      const error = configErrorOf(() => resolveOptions(options, env));
      expect(error.option).toBe(option);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('s3cret');
    },
  );

  it('hides a password that holds "/" or "@"', () => {
    const error = configErrorOf(() =>
      resolveOptions({ ...base, transport: { url: 'redis+cluster://u:a/b@c@h' } }, {}),
    );
    expect(error.message).not.toMatch(/a\/b|b@c/);
    expect(error.message).toContain('//***@h');
  });
});
