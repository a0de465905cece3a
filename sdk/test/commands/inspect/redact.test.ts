/**
 * Redaction of an inspected job's values: the default key patterns, patterns added by the
 * operator, credentials quoted in text, `__proto__` keys, and the bounds that hold against a
 * hostile payload (1000 levels deep, 100 000 keys, binary and lone surrogates).
 */
import {
  DEFAULT_REDACT_KEYS,
  REDACTED,
  TRUNCATED_MARKER,
  keyMatcher,
  redactStored,
  redactText,
  redactValue,
} from '../../../src/commands/inspect/redact';

const defaults = keyMatcher();
const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('redaction by key pattern', () => {
  it('redacts the default secrets wherever they nest, and keeps the rest', () => {
    const payload = {
      user: { email: 'ada@example.com', password: 'hunter2', user_password: 'x' },
      headers: { 'X-Api-Token': 'abc', Authorization: 'Bearer abc', Cookie: 'sid=1' },
      creditCard: { number: '4111111111111111' },
      list: [{ secret: 's' }, { apiKey: 'k' }, { pan: '4111' }, { company: 'Acme' }],
      className: 'App\\Jobs\\Charge',
    };
    const out = redactStored(JSON.stringify(payload), defaults);
    expect(parse(out.value)).toEqual({
      user: { email: 'ada@example.com', password: REDACTED, user_password: REDACTED },
      headers: { 'X-Api-Token': REDACTED, Authorization: REDACTED, Cookie: REDACTED },
      creditCard: REDACTED,
      list: [{ secret: REDACTED }, { apiKey: REDACTED }, { pan: REDACTED }, { company: 'Acme' }],
      className: 'App\\Jobs\\Charge',
    });
    expect(out.redacted).toBe(9);
    expect(out.truncated).toBe(false);
  });

  it('documents its defaults, and each default catches its own key', () => {
    for (const pattern of DEFAULT_REDACT_KEYS) {
      const key = typeof pattern === 'string' ? `my_${pattern}` : 'auth';
      expect({ key, matched: defaults(key) }).toEqual({ key, matched: true });
    }
    expect(['email', 'company', 'className', 'name', 'author'].filter(defaults)).toEqual([]);
  });

  it('adds the operator patterns to the defaults, strings and RegExps alike', () => {
    const matches = keyMatcher(['date_of_birth', /^ip$/g]);
    const out = redactStored(
      JSON.stringify({ dateOfBirth: '1990', ip: '1.2.3.4', ipv6: '::1', password: 'p' }),
      matches,
    );
    expect(parse(out.value)).toEqual({
      dateOfBirth: REDACTED,
      ip: REDACTED,
      ipv6: '::1',
      password: REDACTED,
    });
    // A global RegExp keeps no state between keys.
    expect([matches('ip'), matches('ip'), matches('ip')]).toEqual([true, true, true]);
  });

  it('redacts credentials quoted inside strings and in text that is not JSON', () => {
    const text = 'GET /x Authorization: Bearer eyJhbGciOi.abc token=s3cr3t&page=2 Basic dXNlcjpw';
    const out = redactText(text, defaults);
    expect(out.text).toBe(
      `GET /x Authorization: Bearer ${REDACTED} token=${REDACTED}&page=2 Basic ${REDACTED}`,
    );
    expect(out.count).toBe(3);
    const stored = redactStored(`not json; password: "hunter2" user=ada`, defaults);
    expect(stored.value).toBe(`not json; password: ${REDACTED} user=ada`);
  });

  it('redacts the properties of a PHP-serialized command by name', () => {
    const php =
      'O:19:"App\\Jobs\\ChargeCard":2:{s:8:"password";s:7:"hunter2";s:9:"\0*\0amount";i:42;}';
    const out = redactText(php, defaults);
    expect(out.text).toBe(
      `O:19:"App\\Jobs\\ChargeCard":2:{s:8:"password";s:10:"${REDACTED}";s:9:"\0*\0amount";i:42;}`,
    );
    expect(out.count).toBe(1);
  });

  it('reads a PHP string by its declared length: quotes and multibyte text inside it stay covered', () => {
    const value = 'a";s:1:"x"; pässwörd';
    const bytes = Buffer.byteLength(value);
    const php = `a:3:{s:6:"apiKey";s:${bytes}:"${value}";s:3:"pin";i:1234;s:4:"note";s:2:"ok";}`;
    const out = redactText(php, defaults);
    expect(out.text).toBe(
      `a:3:{s:6:"apiKey";s:10:"${REDACTED}";s:3:"pin";s:10:"${REDACTED}";s:4:"note";s:2:"ok";}`,
    );
    expect(out.count).toBe(2);
  });

  it('keeps a __proto__ key as data, without polluting any prototype', () => {
    const out = redactStored(
      '{"__proto__":{"polluted":true,"token":"t"},"constructor":{"prototype":{"x":1}}}',
      defaults,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const back = parse(out.value);
    expect(Object.getOwnPropertyNames(back)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({
      polluted: true,
      token: REDACTED,
    });
    expect(out.redacted).toBe(1);
  });

  it('cuts a payload nested 1000 levels deep at the depth bound, and counts it', () => {
    const deep = `${'{"a":'.repeat(1000)}{"password":"p"}${'}'.repeat(1000)}`;
    const out = redactStored(deep, defaults, { maxDepth: 32, maxEntries: 20_000 });
    expect(out.truncated).toBe(true);
    expect(out.value).toContain(TRUNCATED_MARKER);
    expect(out.value).not.toContain('"p"');
    expect(out.value.split('"a"').length - 1).toBe(32);
  });

  it('walks at most maxEntries of 100 000 keys, and the rest become one marker', () => {
    const wide: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) wide[`k${i}`] = `v${i}`;
    wide.zz_password = 'late';
    const started = Date.now();
    const out = redactStored(JSON.stringify(wide), defaults, { maxDepth: 32, maxEntries: 1000 });
    expect(Date.now() - started).toBeLessThan(2000);
    const back = parse(out.value);
    expect(Object.keys(back)).toHaveLength(1000);
    expect(back[TRUNCATED_MARKER]).toBe(TRUNCATED_MARKER);
    expect(out.value).not.toContain('late');
    expect(out.truncated).toBe(true);
  });

  it('keeps binary, control characters and lone surrogates through a JSON round trip', () => {
    const odd = `\u0000\u0007\ud800 \udfff ${Buffer.from([0xff, 0xfe]).toString('utf8')}`;
    const out = redactValue({ blob: odd, token: odd }, defaults);
    const text = JSON.stringify(out.value);
    expect(JSON.parse(text)).toEqual({ blob: odd, token: REDACTED });
  });
});
