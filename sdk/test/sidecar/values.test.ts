/** Single setting values: what each parser accepts, and URLs shown without passwords. */
import { InvalidValue } from '../../src/sidecar/errors';
import * as v from '../../src/sidecar/values';

describe('setting values', () => {
  it('reads booleans in the SDK spellings, from strings or JSON', () => {
    expect(['true', 'YES', ' on ', '1', true].map(v.boolean)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['false', 'No', 'off', '0', false].map(v.boolean)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(() => v.boolean('maybe')).toThrow(InvalidValue);
  });

  it('reads intervals in seconds, fractions allowed, from 0.1 on', () => {
    expect(v.intervalSeconds('2.5')).toBe(2.5);
    expect(v.intervalSeconds(10)).toBe(10);
    expect(() => v.intervalSeconds('0.05')).toThrow(
      'expected a number of seconds ≥ 0.1, got "0.05"',
    );
    expect(() => v.intervalSeconds('')).toThrow(InvalidValue);
  });

  it('refuses service names that would break Redis keys', () => {
    expect(v.serviceName(' shop ')).toBe('shop');
    expect(() => v.serviceName('shop:eu')).toThrow(InvalidValue);
    expect(() => v.nodeName('web 1')).toThrow(InvalidValue);
    expect(v.nodeName('web:1')).toBe('web:1');
  });

  it('accepts redis://, rediss:// and cluster URLs only', () => {
    expect(v.redisUrl('rediss://cache:6380/2')).toBe('rediss://cache:6380/2');
    expect(v.redisUrl(' redis+cluster://a:s3cret@n1:7000,n2:7000 ')).toBe(
      'redis+cluster://a:s3cret@n1:7000,n2:7000',
    );
    expect(v.redisUrl('rediss+cluster://n1:7000')).toBe('rediss+cluster://n1:7000');
    expect(() => v.redisUrl('cache:6379')).toThrow(InvalidValue);
    expect(() => v.redisUrl(6379)).toThrow(InvalidValue);
  });

  it('says why a cluster URL is refused, without its password', () => {
    const error = (() => {
      try {
        v.redisUrl('redis+cluster://a:s3cret@n1:7000,n2');
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(InvalidValue);
    expect(error.message).toContain('cluster seed "n2" is not host:port');
    expect(error.message).toContain('redis+cluster://a:***@n1:7000,n2');
    expect(error.message).not.toContain('s3cret');
  });

  it('reads a key layout, v1 or v2', () => {
    expect(v.keyLayout('v2')).toBe('v2');
    expect(v.keyLayout(' V1 ')).toBe('v1');
    expect(() => v.keyLayout('v3')).toThrow(InvalidValue);
    expect(() => v.keyLayout(2)).toThrow(InvalidValue);
  });

  it('hides passwords in URLs it shows', () => {
    expect(v.redactUrl('redis://app:s3cret@cache:6379/0')).toBe('redis://app:***@cache:6379/0');
    expect(v.redactUrl('redis://:s3cret@cache:6379')).toBe('redis://:***@cache:6379');
    expect(v.redactUrl('redis://token@cache')).toBe('redis://***@cache');
    expect(v.redactUrl('redis://cache:6379')).toBe('redis://cache:6379');
    expect(v.redactUrl('redis+cluster://app:a/b@c@n1:7000')).toBe(
      'redis+cluster://app:***@n1:7000',
    );
  });

  it('reads log levels case-insensitively', () => {
    expect(v.logLevel('DEBUG')).toBe('debug');
    expect(() => v.logLevel('trace')).toThrow('expected error, warn, info, debug, got "trace"');
  });
});
