/**
 * Hostile `Authorization` headers, written byte for byte on a socket to the real server: huge
 * tokens, bytes that are not ASCII, and headers repeated so that a proxy and the collector could
 * each read a different one. None authenticates, none breaks the server.
 */
import { QuasarKeys } from '@gravito/quasar/schema';
import type { ApiTokenSpec } from '../../src/auth/principal';
import { SCOPES } from '../../src/auth/scopes';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { commands, retry, startApi } from './command-fixture';
import type { CommandApi } from './command-fixture';
import { rawRequest } from './raw-http';

const ADMIN = 'admin-secret-0123456789abcdef';
const READER = 'reader-secret-0123456789abcdef';
const TOKENS: ApiTokenSpec[] = [
  { name: 'admin', scopes: SCOPES, secret: ADMIN },
  { name: 'reader', scopes: ['read'], secret: READER },
];
const COMMAND = JSON.stringify({ ...retry, jobKey: 'j' });

describeWithRedis('hostile Authorization headers', () => {
  let api: CommandApi;

  beforeAll(async () => {
    api = await startApi(await claimDatabase(), {
      apiToken: undefined,
      apiTokens: TOKENS,
      commands: commands(),
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  const get = (headers: ReadonlyArray<readonly [string, Buffer | string]>) =>
    rawRequest(api.port, '/api/pulse/audit', headers);
  const post = (headers: ReadonlyArray<readonly [string, Buffer | string]>) =>
    rawRequest(api.port, '/api/pulse/command', headers, 'POST', COMMAND);
  const codeOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

  it('authenticates the raw request it is given, as a control', async () => {
    expect((await get([['Authorization', `Bearer ${READER}`]])).statusCode).toBe(200);
  });

  it('refuses a huge token with 401, and one past the header limit before it is read', async () => {
    const huge = await get([['Authorization', `Bearer ${ADMIN}${'A'.repeat(8_000)}`]]);
    expect(huge.statusCode).toBe(401);
    expect(codeOf(huge.body)).toBe('QUASAR_UNAUTHORIZED');
    expect(huge.body).not.toContain('AAAA');
    const beyond = await get([['Authorization', `Bearer ${'A'.repeat(20_000)}`]]);
    expect(beyond.statusCode).toBe(431);
    expect((await get([['Authorization', `Bearer ${READER}`]])).statusCode).toBe(200);
  });

  it('refuses tokens with bytes outside ASCII, even around a valid secret', async () => {
    for (const token of [
      Buffer.from(`Bearer ${READER}✓`, 'utf8'),
      Buffer.from(`Bearer ✓${READER}`, 'utf8'),
      Buffer.from('Bearer 東京🚀', 'utf8'),
      Buffer.from(`Bearer ${READER}\u00e9`, 'latin1'),
    ]) {
      const res = await get([['Authorization', token]]);
      expect(res.statusCode).toBe(401);
      expect(codeOf(res.body)).toBe('QUASAR_UNAUTHORIZED');
    }
  });

  it('refuses a request carrying two Authorization headers, whichever comes first', async () => {
    for (const pair of [
      [`Bearer ${READER}`, `Bearer ${ADMIN}`],
      [`Bearer ${ADMIN}`, `Bearer ${READER}`],
      [`Bearer ${ADMIN}`, `Bearer ${ADMIN}`],
      [`Bearer ${ADMIN}`, ''],
    ]) {
      const headers = [
        ['Authorization', pair[0] as string],
        ['authorization', pair[1] as string],
      ] as const;
      for (const res of [await get(headers), await post(headers)]) {
        expect(res.statusCode).toBe(401);
        expect(codeOf(res.body)).toBe('QUASAR_UNAUTHORIZED');
      }
    }
    expect(await api.redis.exists(QuasarKeys.audit)).toBe(0);
  });

  it('refuses two tokens in one header, and a token under another scheme', async () => {
    for (const value of [
      `Bearer ${READER}, Bearer ${ADMIN}`,
      `Bearer ${READER} ${ADMIN}`,
      `Basic ${ADMIN}`,
      ADMIN,
      'Bearer',
    ]) {
      expect((await get([['Authorization', value]])).statusCode).toBe(401);
    }
  });
});
