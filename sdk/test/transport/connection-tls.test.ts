/**
 * Connections keep the URL's credentials, database and TLS, including duplicates (the future
 * SUBSCRIBE connection), against a real redis-server listening with TLS only.
 */
import Redis from 'ioredis';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QuasarAgent } from '../../src';
import { QuasarKeys } from '../../src/schema';
import { openConnection, closeConnection } from '../../src/transport/connection';
import { duplicateRedisClient, isClusterClient } from '../../src/redis/redis-client';
import { describeWithRedis } from '../../../testing/redis';
import { freePort, startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';

/** A throwaway self-signed certificate for 127.0.0.1. */
function selfSignedCert(): { dir: string; cert: string; key: string; pem: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'quasar-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  return { dir, cert, key, pem: readFileSync(cert) };
}

describeWithRedis('connections over TLS (real redis-server with --tls-port)', () => {
  let server: RedisServer;
  let url: string;
  let ca: Buffer;

  beforeAll(async () => {
    const tls = selfSignedCert();
    ca = tls.pem;
    const port = await freePort();
    server = await startRedisServer({
      port,
      password: 'tls-secret',
      args: [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        tls.cert,
        '--tls-key-file',
        tls.key,
        '--tls-ca-cert-file',
        tls.cert,
        '--tls-auth-clients',
        'no',
      ],
    });
    url = `rediss://:tls-secret@127.0.0.1:${port}/7`;
  });
  afterAll(() => server.stop());

  it('writes the heartbeat over TLS, with the password and database from the URL', async () => {
    const agent = new QuasarAgent({
      service: 'tls',
      transport: { url, options: { tls: { ca } } },
      otel: { enabled: false },
    });
    expect((await agent.start()).connected).toBe(true);
    const check = new Redis(url, { tls: { ca } });
    expect(await check.exists(QuasarKeys.node('tls', agent.getNodeId()))).toBe(1);
    await check.quit();
    await agent.stop();
  });

  it('keeps TLS, password and database on a duplicated connection', async () => {
    const connection = openConnection({ url, options: { tls: { ca } } }, 'transport');
    const duplicate = duplicateRedisClient(connection.client);
    if (isClusterClient(duplicate)) throw new Error('expected a single Redis');
    await duplicate.connect();
    const info = String(await duplicate.call('CLIENT', 'INFO'));
    expect(info).toMatch(/ db=7 /);
    expect(duplicate.options.tls).toBeDefined();
    duplicate.disconnect();
    await closeConnection(connection);
  });

  it('refuses a plain-text connection to the TLS port', async () => {
    const plain = new Redis(url.replace('rediss://', 'redis://'), {
      lazyConnect: true,
      retryStrategy: () => null,
      connectTimeout: 1000,
    });
    await expect(plain.connect().then(() => plain.ping())).rejects.toThrow();
    plain.disconnect();
  });
});
