/**
 * The remote-control settings and the `acl` subcommand's parsing: where each value comes from,
 * the errors naming the setting, a token that never shows, and a sidecar that turns remote
 * control on in its agent.
 */
import Redis from 'ioredis';
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

  it('never shows the token in --help', async () => {
    const rec = recordingIO();
    await runSidecar(['--help'], { QUASAR_TOKEN: 's3cret' }, rec.io);
    expect(rec.stdout()).toContain('QUASAR_TOKEN');
    expect(rec.stdout()).toContain('acl');
    expect(rec.stdout()).not.toContain('s3cret');
  });
});

describe('quasar-agent acl', () => {
  it('grants the monitor user writes only on the queues and verbs remote control enables', () => {
    const s = settingsOf([
      'acl',
      '--queue=emails:bullmq',
      '--queue=default:laravel:app_',
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
  it('subscribes its agent to its command channels and never logs the token', async () => {
    const url = await claimDatabase();
    const admin = new Redis(url);
    const rec = recordingIO();
    const env = {
      QUASAR_SERVICE: 'shop',
      QUASAR_TRANSPORT_REDIS_URL: url,
      QUASAR_QUEUES: 'emails:redis',
      QUASAR_REMOTE_CONTROL: 'emails:retry',
      QUASAR_TOKEN: 'tok-s3cret',
      QUASAR_LARAVEL_WORKERS: 'false',
      QUASAR_LOG_LEVEL: 'debug',
    };
    const exited = runSidecar([], env, rec.io);
    try {
      await eventually(async () => {
        const [, count] = (await admin.call(
          'PUBSUB',
          'NUMSUB',
          QuasarKeys.broadcastChannel('shop'),
        )) as [string, number];
        return count === 1 ? true : undefined;
      });
    } finally {
      await eventually(() => (rec.subscribers() > 0 ? true : undefined));
      rec.signal('SIGTERM');
      await expect(exited).resolves.toBe(0);
      await admin.quit();
    }
    expect(rec.stderr()).not.toContain('tok-s3cret');
  });
});
