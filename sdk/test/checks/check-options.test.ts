/** Validation and defaults of `monitorCheck(name, options)`. */
import { CHECK_DEFAULTS, resolveCheck, statusExpected } from '../../src/checks/check-options';
import { configErrorOf } from '../support/config-error';

const HTTP = { type: 'http', url: 'https://api.example.com/health' } as const;
const TCP = { type: 'tcp', host: 'db.internal', port: 5432 } as const;

describe('resolveCheck', () => {
  it('applies the defaults to an http check', () => {
    expect(resolveCheck('api', HTTP)).toEqual({
      name: 'api',
      type: 'http',
      target: 'https://api.example.com/health',
      url: new URL('https://api.example.com/health'),
      method: 'GET',
      expectStatus: ['2xx', '3xx'],
      headers: {},
      rejectUnauthorized: true,
      intervalMs: 30_000,
      timeoutMs: 5_000,
    });
    expect(CHECK_DEFAULTS).toMatchObject({ intervalMs: 30_000, timeoutMs: 5_000 });
  });

  it('applies the defaults to a tcp check and names its target host:port', () => {
    expect(resolveCheck('db', TCP)).toEqual({
      name: 'db',
      type: 'tcp',
      target: 'db.internal:5432',
      host: 'db.internal',
      port: 5432,
      intervalMs: 30_000,
      timeoutMs: 5_000,
    });
  });

  it('keeps every option given', () => {
    const check = resolveCheck('api', {
      ...HTTP,
      method: 'HEAD',
      expectStatus: 204,
      headers: { authorization: 'Bearer t' },
      rejectUnauthorized: false,
      intervalMs: 1000,
      timeoutMs: 999,
    });
    expect(check).toMatchObject({
      method: 'HEAD',
      expectStatus: [204],
      headers: { authorization: 'Bearer t' },
      rejectUnauthorized: false,
      intervalMs: 1000,
      timeoutMs: 999,
    });
  });

  it('strips credentials from the target but keeps them on the URL it requests', () => {
    const check = resolveCheck('api', { ...HTTP, url: 'https://u:p@api.example.com/h?x=1' });
    expect(check.target).toBe('https://api.example.com/h?x=1');
    expect(check.type === 'http' && check.url.username).toBe('u');
  });

  it.each<[string, unknown, Record<string, unknown>]>([
    ['type', 'udp', { ...TCP, type: 'udp' }],
    ['type', 'missing', { host: 'h', port: 1 }],
    ['url', 'missing', { type: 'http' }],
    ['url', 'not a URL', { ...HTTP, url: 'api.example.com/health' }],
    ['url', 'another scheme', { ...HTTP, url: 'ftp://files.example.com/' }],
    ['method', 'POST', { ...HTTP, method: 'POST' }],
    ['expectStatus', 'out of range', { ...HTTP, expectStatus: 600 }],
    ['expectStatus', 'not a class', { ...HTTP, expectStatus: '2XX' }],
    ['expectStatus', 'an empty list', { ...HTTP, expectStatus: [] }],
    ['expectStatus', 'a list with a bad entry', { ...HTTP, expectStatus: [200, 'ok'] }],
    ['headers', 'an array', { ...HTTP, headers: ['x'] }],
    ['headers', 'a non-string value', { ...HTTP, headers: { 'x-n': 1 } }],
    ['headers', 'an invalid name', { ...HTTP, headers: { 'bad name': 'v' } }],
    ['headers', 'a value with a newline', { ...HTTP, headers: { 'x-v': 'a\r\nb' } }],
    ['rejectUnauthorized', 'a string', { ...HTTP, rejectUnauthorized: 'false' }],
    ['host', 'missing', { type: 'tcp', port: 1 }],
    ['host', 'blank', { ...TCP, host: ' ' }],
    ['port', 'missing', { type: 'tcp', host: 'h' }],
    ['port', '0', { ...TCP, port: 0 }],
    ['port', '65536', { ...TCP, port: 65536 }],
    ['port', 'a string', { ...TCP, port: '5432' }],
    ['intervalMs', 'below 1000', { ...TCP, intervalMs: 999 }],
    ['intervalMs', 'not a number', { ...TCP, intervalMs: '30s' }],
    ['timeoutMs', 'zero', { ...TCP, timeoutMs: 0 }],
    ['timeoutMs', 'equal to the interval', { ...TCP, intervalMs: 2000, timeoutMs: 2000 }],
    ['timeoutMs', 'above the default interval', { ...TCP, timeoutMs: 40_000 }],
    ['hots', 'an unknown option', { ...TCP, hots: 'x' }],
    ['url', 'an option of the other type', { ...TCP, url: 'http://x/' }],
  ])('rejects option %s when %s, naming it', (option, _case, options) => {
    const error = configErrorOf(() => resolveCheck('api', options));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(/^monitorCheck\("api"\): /);
    expect(error.message).toContain(`"${option}"`);
  });

  it('words a bad URL as the docs show', () => {
    expect(configErrorOf(() => resolveCheck('api', { ...HTTP, url: 'ftp://x/' })).message).toBe(
      'monitorCheck("api"): option "url" must be an http:// or https:// URL',
    );
  });

  it('never puts a header value in its message', () => {
    const error = configErrorOf(() =>
      resolveCheck('api', { ...HTTP, headers: { authorization: 'Bearer s3cret\n' } }),
    );
    expect(error.option).toBe('headers');
    expect(error.message).toContain('"authorization"');
    expect(error.message).not.toContain('s3cret');
  });

  it.each([[''], ['  '], [42], [undefined]])(
    'rejects the check name %p as option "name"',
    (name) => {
      expect(configErrorOf(() => resolveCheck(name, TCP)).option).toBe('name');
    },
  );

  it('rejects options that are not an object', () => {
    expect(configErrorOf(() => resolveCheck('api', 'http://x/')).option).toBe('options');
  });
});

describe('statusExpected', () => {
  it('matches exact codes and classes', () => {
    expect(statusExpected(204, ['2xx'])).toBe(true);
    expect(statusExpected(301, ['2xx', '3xx'])).toBe(true);
    expect(statusExpected(404, ['2xx', '3xx'])).toBe(false);
    expect(statusExpected(404, [200, 404])).toBe(true);
    expect(statusExpected(500, [200, 404])).toBe(false);
  });
});
