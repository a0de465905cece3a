import {
  MAX_NODE_ID_LENGTH,
  MAX_SERVICE_LENGTH,
  PROTOTYPE_MEMBER_NAMES,
  isNodeId,
  isServiceName,
  parseNodeKey,
  parseSlowLogKey,
} from '../../src/schema';

describe('isServiceName', () => {
  it.each([
    'orders-api',
    'billing_v2',
    'shop.eu',
    'a',
    's'.repeat(MAX_SERVICE_LENGTH),
    'constructor',
  ])('accepts %j', (name) => expect(isServiceName(name)).toBe(true));

  it.each([
    ['the empty string', ''],
    ['a name of 129 characters', 's'.repeat(MAX_SERVICE_LENGTH + 1)],
    ['a colon', 'a:b'],
    ['a space', 'a b'],
    ['a tab', 'a\tb'],
    ['a control character', 'a\u0001b'],
    ['a glob star', 'api*'],
    ['a glob question mark', 'api?'],
    ['a glob class', 'api[12]'],
    ['a backslash', 'a\\b'],
  ])('refuses %s', (_what, name) => expect(isServiceName(name)).toBe(false));

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, {}, ['api']])
      expect(isServiceName(value)).toBe(false);
  });
});

describe('isNodeId', () => {
  it('accepts ids with colons, as original hostnames may hold them', () => {
    expect(isNodeId('host:with:colons-1')).toBe(true);
  });

  it('refuses ids longer than 256 characters, blanks and globs', () => {
    expect(isNodeId('n'.repeat(MAX_NODE_ID_LENGTH))).toBe(true);
    expect(isNodeId('n'.repeat(MAX_NODE_ID_LENGTH + 1))).toBe(false);
    expect(isNodeId('web 1')).toBe(false);
    expect(isNodeId('web-*')).toBe(false);
    expect(isNodeId('')).toBe(false);
  });
});

describe('PROTOTYPE_MEMBER_NAMES', () => {
  it('holds every Object.prototype member', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(PROTOTYPE_MEMBER_NAMES.has(name)).toBe(true);
    }
    expect(PROTOTYPE_MEMBER_NAMES.has('orders')).toBe(false);
  });
});

describe('key parsers against the grammar', () => {
  it('refuse heartbeat keys whose service or node id breaks the grammar', () => {
    expect(parseNodeKey('gravito:quasar:node:api:web-1')).toEqual({
      service: 'api',
      nodeId: 'web-1',
      layout: 'v1',
    });
    expect(parseNodeKey(`gravito:quasar:node:api:${'n'.repeat(5000)}`)).toBeUndefined();
    expect(parseNodeKey('gravito:quasar:node:api:web 1')).toBeUndefined();
    expect(parseNodeKey('gravito:quasar:node:a*:web-1')).toBeUndefined();
    expect(parseNodeKey('app:session:42')).toBeUndefined();
  });

  it('refuse slow-log keys whose service breaks the grammar', () => {
    expect(parseSlowLogKey('gravito:quasar:slow:api')).toBe('api');
    expect(parseSlowLogKey('gravito:quasar:slow:')).toBeUndefined();
    expect(parseSlowLogKey(`gravito:quasar:slow:${'s'.repeat(200)}`)).toBeUndefined();
    expect(parseSlowLogKey('gravito:quasar:slow:a b')).toBeUndefined();
  });
});
