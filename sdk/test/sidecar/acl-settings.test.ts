/**
 * The remote-control settings and the `acl` subcommand's parsing: where each value comes from,
 * the errors naming the setting, tokens that never show, and a sidecar that turns remote
 * control on in its agent, accepting the previous token during a rotation.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { signCommand } from '../../src/commands/signature';
import { aclUsers } from '../../src/sidecar/acl/acl-text';
import { setUserLine } from '../../src/sidecar/acl/acl-user';
import { SidecarConfigError } from '../../src/sidecar/errors';
import { runSidecar } from '../../src/sidecar/main';
import { parseArgv } from '../../src/sidecar/parse-argv';
import { resolveSettings } from '../../src/sidecar/resolve-settings';
import type { Env } from '../../src/sidecar/resolve-settings';
import { QuasarKeys } from '../../src/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { recordingIO } from './support';

const settingsOf = (argv: string[], env: Env = {}, files: Record<string, string> = {}) =>
  resolveSettings(parseArgv(argv), { QUASAR_SERVICE: 'shop', ...env }, (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  }).values;

function errorOf(fn: () => unknown): SidecarConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SidecarConfigError) return error;
    throw error;
  }
  throw new Error('expected a SidecarConfigError');
}

describe('remote-control settings', () => {
  it('leaves remote control off by default', () => {
    const s = settingsOf([]);
    expect(s.remoteControl).toBeUndefined();
    expect(s.token).toBeUndefined();
    expect(s).toMatchObject({ allowUnsigned: false, maxJobsPerCommand: 1000 });
  });

  it('reads QUASAR_REMOTE_CONTROL as queue:verb[+verb], comma-separated', () => {
    const s = settingsOf([], { QUASAR_REMOTE_CONTROL: 'emails:retry+delete, default:retry' });
    expect(s.remoteControl).toEqual({ emails: ['retry', 'delete'], default: ['retry'] });
  });

  it('merges repeated --remote-control flags, splitting a queue name at its last colon', () => {
    const s = settingsOf([
      '--remote-control',
      'app:emails:retry',
      '--remote-control=app:emails:delete',
    ]);
    expect(s.remoteControl).toEqual({ 'app:emails': ['retry', 'delete'] });
  });

  it('reads the remoteControl section of the config file', () => {
    const file = JSON.stringify({
      remoteControl: { queues: { emails: ['retry'] }, allowUnsigned: true, maxJobsPerCommand: 50 },
    });
    const s = settingsOf(['--config', '/etc/q.json'], {}, { '/etc/q.json': file });
    expect(s).toMatchObject({
      remoteControl: { emails: ['retry'] },
      allowUnsigned: true,
      maxJobsPerCommand: 50,
    });
  });

  it('names the setting and its source for an unknown verb', () => {
    const error = errorOf(() => settingsOf([], { QUASAR_REMOTE_CONTROL: 'emails:purge' }));
    expect(error.setting).toBe('remoteControl');
    expect(error.message).toMatch(
      /^QUASAR_REMOTE_CONTROL: queue "emails" has unknown verb "purge"/,
    );
  });

  it('reads QUASAR_TOKEN from the environment only', () => {
    expect(settingsOf([], { QUASAR_TOKEN: 's3cret' }).token).toBe('s3cret');
    expect(() => parseArgv(['--token', 's3cret'])).toThrow(/unknown flag --token/);
  });

  it('never shows the token or the previous tokens in --help', async () => {
    const rec = recordingIO();
    const env = { QUASAR_TOKEN: 's3cret', QUASAR_TOKEN_PREVIOUS: 'old-s3cret' };
    await runSidecar(['--help'], env, rec.io);
    expect(rec.stdout()).toContain('QUASAR_TOKEN');
    expect(rec.stdout()).toContain('QUASAR_TOKEN_PREVIOUS');
    expect(rec.stdout()).toContain('acl');
    expect(rec.stdout()).not.toContain('s3cret');
  });

  it('reads QUASAR_TOKEN_PREVIOUS, comma-separated, from the environment only', () => {
    const env = { QUASAR_TOKEN: 'new', QUASAR_TOKEN_PREVIOUS: 'old, older' };
    expect(settingsOf([], env).previousTokens).toEqual(['old', 'older']);
    expect(settingsOf([], { QUASAR_TOKEN: 'new' }).previousTokens).toBeUndefined();
    expect(() => parseArgv(['--token-previous', 'old'])).toThrow(/unknown flag --token-previous/);
  });

  it('refuses an empty previous token without showing the others', () => {
    const error = errorOf(() => settingsOf([], { QUASAR_TOKEN_PREVIOUS: 'old-s3cret,,x' }));
    expect(error.setting).toBe('previousTokens');
    expect(error.message).toMatch(/^QUASAR_TOKEN_PREVIOUS: /);
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses previous tokens without QUASAR_TOKEN, exiting 2 and naming the variable', async () => {
    const rec = recordingIO();
    const env = {
      QUASAR_SERVICE: 'shop',
      QUASAR_QUEUES: 'emails:redis',
      QUASAR_REMOTE_CONTROL: 'emails:retry',
      QUASAR_TOKEN_PREVIOUS: 'old-s3cret',
      QUASAR_LARAVEL_WORKERS: 'false',
    };
    await expect(runSidecar([], env, rec.io)).resolves.toBe(2);
    expect(rec.stderr()).toMatch(/^quasar-agent: QUASAR_TOKEN_PREVIOUS: .*previousTokens/);
    expect(rec.stderr()).not.toContain('s3cret');
  });
});

describe('quasar-agent acl', () => {
  it('grants the monitor user writes only on the queues and verbs remote control enables', () => {
    const s = settingsOf([
      'acl',
      '--queue=emails:bullmq',
      '--queue=default:laravel',
      '--laravel-prefix=app_',
      '--remote-control=emails:retry',
    ]);
    const [transport, monitor, collector] = aclUsers(s).map(setUserLine);
    expect(transport).toMatch(/^ACL SETUSER quasar-agent-shop reset on >CHANGE-ME /);
    expect(transport).toContain('(&gravito:quasar:cmd:results +publish)');
    expect(monitor).toContain('(~bull:emails:* +llen');
    expect(monitor).toContain(
      '(%R~app_queues:default %R~app_queues:default:* +llen +zcard +lindex)',
    );
    expect(collector).not.toMatch(/bull|queues:default/);
  });

  it("grants the keys a Go agent's laravel queue entry reads", () => {
    const s = settingsOf(['acl', '--queue=default:laravel:shop-database-queues']);
    expect(setUserLine(aclUsers(s)[1]!)).toContain(
      '(%R~shop-database-queues:default %R~shop-database-queues:default:* +llen +zcard +lindex)',
    );
  });

  it('refuses remote control of a queue it does not monitor', () => {
    const s = settingsOf(['acl', '--remote-control=emails:retry']);
    expect(errorOf(() => aclUsers(s)).setting).toBe('remoteControl');
  });

  it('prints the lines on stdout and exits 0', async () => {
    const rec = recordingIO();
    await expect(runSidecar(['acl', '--service=shop'], {}, rec.io)).resolves.toBe(0);
    expect(rec.stdout().match(/^ACL SETUSER /gm)).toHaveLength(3);
    expect(rec.stderr()).toBe('');
  });
});

describeWithRedis('a sidecar with remote control', () => {
  /** Runs the sidecar until it has subscribed, calls `fn`, then stops it; returns its stderr. */
  async function withSidecar(
    env: Env,
    fn: (admin: Redis) => Promise<void> = () => Promise.resolve(),
  ): Promise<string> {
    const url = await claimDatabase();
    const admin = new Redis(url);
    const rec = recordingIO();
    const exited = runSidecar(
      [],
      {
        QUASAR_SERVICE: 'shop',
        QUASAR_TRANSPORT_REDIS_URL: url,
        QUASAR_QUEUES: 'emails:redis',
        QUASAR_REMOTE_CONTROL: 'emails:retry',
        QUASAR_LARAVEL_WORKERS: 'false',
        QUASAR_LOG_LEVEL: 'debug',
        ...env,
      },
      rec.io,
    );
    try {
      await eventually(async () => {
        const [, count] = (await admin.call(
          'PUBSUB',
          'NUMSUB',
          QuasarKeys.broadcastChannel('shop'),
        )) as [string, number];
        return count === 1 ? true : undefined;
      }, 15_000);
      await fn(admin);
    } finally {
      await eventually(() => (rec.subscribers() > 0 ? true : undefined));
      rec.signal('SIGTERM');
      await expect(exited).resolves.toBe(0);
      await admin.quit();
    }
    return rec.stderr();
  }

  it('subscribes its agent to its command channels and never logs the token', async () => {
    const stderr = await withSidecar({ QUASAR_TOKEN: 'tok-s3cret' });
    expect(stderr).not.toContain('tok-s3cret');
  });

  it('passes QUASAR_TOKEN_PREVIOUS to its agent, which accepts commands signed with it', async () => {
    const env = { QUASAR_TOKEN: 'new-s3cret', QUASAR_TOKEN_PREVIOUS: 'old-s3cret' };
    const stderr = await withSidecar(env, async (admin) => {
      await admin.lpush('emails:failed', 'job-1', 'job-2');
      const now = Date.now();
      const wide = (jobKey: string, token: string) =>
        signCommand(
          {
            id: randomUUID(),
            type: 'RETRY_JOB',
            targetNodeId: '*',
            payload: { queue: 'emails', jobKey, driver: 'redis' },
            timestamp: now,
            expiresAt: now + 60_000,
            issuer: 'quasar-collector',
          },
          token,
        );
      const commands = [wide('job-1', 'old-s3cret'), wide('job-2', 'new-s3cret')];
      for (const c of commands) {
        await admin.publish(QuasarKeys.broadcastChannel('shop'), JSON.stringify(c));
      }
      for (const c of commands) {
        const raw = await eventually(
          async () => (await admin.get(QuasarKeys.commandResult(c.id))) ?? undefined,
        );
        expect(JSON.parse(raw)).toMatchObject({ status: 'succeeded', affected: 1 });
      }
      expect((await admin.lrange('emails', 0, -1)).sort()).toEqual(['job-1', 'job-2']);
    });
    expect(stderr).not.toContain('s3cret');
  });
});
