import { helpText } from '../../src/config/help';
import { SETTINGS } from '../../src/config/settings';

describe('helpText', () => {
  const text = helpText();

  it('starts with the usage line', () => {
    expect(text.startsWith('Usage: quasar-collector [options]\n')).toBe(true);
  });

  it.each(SETTINGS.map((s) => [s.flag, s] as const))('lists --%s with its variables', (flag, s) => {
    const line = text.split('\n').find((l) => l.trimStart().startsWith(`--${flag} `));
    expect(line).toBeDefined();
    for (const name of s.env) expect(line).toContain(name);
  });

  it('shows the defaults of the settings that have one', () => {
    const portLine = text.split('\n').find((l) => l.trimStart().startsWith('--port '));
    expect(portLine).toContain('default 8080');
  });

  it('never prints a token, even one set in the environment', () => {
    const previous = process.env.QUASAR_API_TOKEN;
    process.env.QUASAR_API_TOKEN = 'help-must-not-show-this';
    try {
      const withToken = helpText();
      expect(withToken).not.toContain('help-must-not-show-this');
      const secrets = SETTINGS.filter((s) => 'secret' in s && s.secret);
      expect(secrets.length).toBeGreaterThan(0);
      for (const s of secrets) {
        const line = withToken.split('\n').find((l) => l.trimStart().startsWith(`--${s.flag} `));
        expect(line).not.toContain('default');
      }
    } finally {
      if (previous === undefined) delete process.env.QUASAR_API_TOKEN;
      else process.env.QUASAR_API_TOKEN = previous;
    }
  });

  it('lists the standard OTLP exporter variables and the endpoints', () => {
    expect(text).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(text).toContain('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
    expect(text).toContain('/api/pulse/stream');
  });
});
