import { main } from '../../src/server';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

/** Captures what `main` writes, in place of the process streams. */
function captureIo() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (text: string) => void (out.stdout += text),
      stderr: (text: string) => void (out.stderr += text),
    },
  };
}

describe('main', () => {
  it('prints the usage for --help and exits 0', async () => {
    const { out, io } = captureIo();
    expect(await main(['--help'], {}, io)).toBe(0);
    expect(out.stdout).toContain('Usage: quasar-collector [options]');
    expect(out.stdout).toContain('--api-token <token>');
    expect(out.stderr).toBe('');
  });

  it('exits 2 on an invalid value, naming the option on stderr', async () => {
    const { out, io } = captureIo();
    expect(await main(['--port', 'abc'], { QUASAR_API_TOKEN: 't' }, io)).toBe(2);
    expect(out.stderr).toContain('quasar-collector: --port / PORT:');
    expect(out.stderr).toContain('Run quasar-collector --help for the options.');
    expect(out.stdout).toBe('');
  });

  it('exits 2 on an unknown flag, naming it on stderr', async () => {
    const { out, io } = captureIo();
    expect(await main(['--bogus'], { QUASAR_API_TOKEN: 't' }, io)).toBe(2);
    expect(out.stderr).toContain('--bogus');
  });

  it('exits 2 without a token, naming the variable to set', async () => {
    const { out, io } = captureIo();
    expect(await main([], {}, io)).toBe(2);
    expect(out.stderr).toContain('QUASAR_API_TOKEN');
  });
});

describeWithRedis('main --once', () => {
  it('reads Redis once and exits 0 with both exports disabled', async () => {
    const { out, io } = captureIo();
    const env = {
      QUASAR_REDIS_URL: await claimDatabase(),
      QUASAR_EXPORT_METRICS: 'false',
      QUASAR_EXPORT_LOGS: 'false',
      LOG_LEVEL: 'silent',
    };
    expect(await main(['--once'], env, io)).toBe(0);
    expect(out.stderr).toBe('');
  });
});
