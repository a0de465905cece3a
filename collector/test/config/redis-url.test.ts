import { CollectorConfigError } from '../../src/config/errors';
import { resolveConfig } from '../../src/config/resolve';

const TOKEN_ENV = { QUASAR_API_TOKEN: 'test-token' };

function redisUrlOf(url: string): string {
  const outcome = resolveConfig(['--redis-url', url], TOKEN_ENV);
  if (outcome.help) throw new Error('expected a configuration');
  return outcome.config.redisUrl;
}

function errorOf(url: string): CollectorConfigError {
  try {
    resolveConfig([], { ...TOKEN_ENV, QUASAR_REDIS_URL: url });
  } catch (error) {
    expect(error).toBeInstanceOf(CollectorConfigError);
    return error as CollectorConfigError;
  }
  throw new Error(`expected ${url} to be rejected`);
}

describe('--redis-url', () => {
  it('takes single-Redis and cluster URLs as given', () => {
    for (const url of [
      'redis://localhost:6379',
      'rediss://user:pw@redis.example:6380/2',
      'redis+cluster://10.0.0.1:7000,10.0.0.2:7000',
      'rediss+cluster://default:pw@node-1.example:6379,node-2.example:6379',
    ]) {
      expect(redisUrlOf(url)).toBe(url);
    }
  });

  it('rejects other URLs, naming the flag and the variables', () => {
    const error = errorOf('http://localhost:6379');
    expect(error.option).toBe('--redis-url / QUASAR_REDIS_URL / REDIS_URL');
    expect(errorOf('redis+cluster://a:7000/3').message).toContain('one database');
  });

  it('never echoes a password in its errors', () => {
    for (const url of [
      'redis+cluster://admin:hunter2secret@h1:7000,h2/3',
      'redis+cluster://admin:hunter2secret@h1:7000,h2',
      'redis+cluster://admin:hunter2secret,h1:7000',
      'rediss+cluster://:hunter2secret@h1',
      'redis://:hunter2secret@',
      'ftp://admin:hunter2secret@host',
    ]) {
      expect(errorOf(url).message).not.toContain('hunter2secret');
    }
  });
});
