/** Nothing the collector logs about a connection carries its password. */
import { describeError, redactUrl } from '../../src/util/describe-error';

describe('redactUrl', () => {
  it('masks the password in the authority and in the query', () => {
    expect(redactUrl('redis://user:s3cret@redis:6379/2')).toBe('redis://user:***@redis:6379/2');
    expect(redactUrl('rediss://:s3cret@redis:6380')).toBe('rediss://:***@redis:6380');
    expect(redactUrl('redis://redis:6379?password=s3cret&db=1')).toBe(
      'redis://redis:6379?password=***&db=1',
    );
  });

  it('masks a password that itself holds an @', () => {
    expect(redactUrl('redis://u:p%40ss@host:6379')).not.toContain('ss');
  });

  it('never echoes what it cannot parse', () => {
    expect(redactUrl('not a url with secret')).toBe('(unparseable URL)');
  });
});

describe('describeError', () => {
  it('masks credentials inside an error message', () => {
    const message = describeError(new Error('connect to redis://app:hunter2@10.0.0.1:6379 failed'));
    expect(message).toBe('connect to redis://app:***@10.0.0.1:6379 failed');
  });
});
