/** From resolved settings to the agent's options and the heartbeat's `meta`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QuasarLogger } from '../../src';
import { agentOptions, sidecarMeta } from '../../src/sidecar/build-agent';
import { parseArgv } from '../../src/sidecar/parse-argv';
import { resolveSettings } from '../../src/sidecar/resolve-settings';
import { procLaravelRoot } from './support';

const settingsOf = (...argv: string[]) => resolveSettings(parseArgv(argv), {}).values;

function recordingLogger() {
  const lines: string[] = [];
  const logger: QuasarLogger = {
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, logger };
}

describe('agentOptions', () => {
  const { logger } = recordingLogger();

  it('passes every setting explicitly, the interval in milliseconds', () => {
    const options = agentOptions(
      settingsOf(
        '--service=shop',
        '--name=n1',
        '--interval=2.5',
        '--monitor=redis://app:6379',
        '--language=php',
        '--language-version=8.3',
      ),
      logger,
    );
    expect(options).toMatchObject({
      service: 'shop',
      name: 'n1',
      interval: 2500,
      transport: { url: 'redis://localhost:6379' },
      monitor: { url: 'redis://app:6379' },
      hostRoot: '/',
      otel: { exportOtlp: false },
      slowLog: { enabled: true, requestThresholdMs: 1000, jobThresholdMs: 5000, maxLen: 10000 },
      application: { language: 'php', version: '8.3' },
    });
    expect(typeof options.application?.meta).toBe('function');
  });

  it('leaves out what was not set, so the agent applies its own default', () => {
    const options = agentOptions(settingsOf('--service=shop'), logger);
    expect(options).not.toHaveProperty('name');
    expect(options).not.toHaveProperty('monitor');
    expect(options.application).not.toHaveProperty('language');
    expect(options.application).not.toHaveProperty('version');
  });
});

describe('sidecarMeta', () => {
  it('marks the heartbeat as a sidecar without scanning when worker discovery is off', () => {
    const { logger } = recordingLogger();
    expect(sidecarMeta(settingsOf('--service=s', '--no-laravel-workers'), logger)()).toEqual({
      sidecar: true,
    });
  });

  it('adds meta.laravel from the host root', () => {
    const { root, remove } = procLaravelRoot();
    try {
      const { logger } = recordingLogger();
      const meta = sidecarMeta(
        settingsOf('--service=s', '--laravel-workers', `--host-root=${root}`),
        logger,
      )();
      expect(meta).toMatchObject({ sidecar: true, laravel: { workerCount: 5 } });
    } finally {
      remove();
    }
  });

  it('throws when the host root has no proc, logging the outage once', () => {
    const empty = mkdtempSync(join(tmpdir(), 'quasar-noproc-'));
    try {
      const { lines, logger } = recordingLogger();
      const meta = sidecarMeta(
        settingsOf('--service=s', '--laravel-workers', `--host-root=${empty}`),
        logger,
      );
      expect(() => meta()).toThrow(`cannot list ${join(empty, 'proc')} (ENOENT)`);
      expect(() => meta()).toThrow(/ENOENT/);
      expect(lines).toEqual([
        `warn Laravel worker discovery failed: cannot list ${join(empty, 'proc')} (ENOENT); retrying every beat`,
      ]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
