import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateOtelcolConfig } from '../../testing/otelcol';
import { checkPrometheusConfig } from '../../testing/prometheus';
import { describeWithStack, otelcolBinary } from '../../testing/stack';

const PROVISIONING = resolve(__dirname, '../../provisioning');

describe('demo stack configs', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'quasar-stack-configs-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  describeWithStack(['otelcol'])('otel-collector/config.yaml', () => {
    it('passes the real collector’s validate', () => {
      const result = validateOtelcolConfig(
        join(PROVISIONING, 'otel-collector/config.yaml'),
        otelcolBinary(),
      );
      expect(result).toEqual({ ok: true, output: expect.any(String) });
    });

    it('would be rejected if it named a component the collector lacks', () => {
      const file = join(scratch, 'bad-otelcol.yaml');
      writeFileSync(
        file,
        [
          'receivers: { otlp: { protocols: { http: {} } } }',
          'exporters: { no_such_exporter: {} }',
          'service: { pipelines: { logs: { receivers: [otlp], exporters: [no_such_exporter] } } }',
        ].join('\n'),
      );
      const result = validateOtelcolConfig(file, otelcolBinary());
      expect(result.ok).toBe(false);
      expect(result.output).toContain('no_such_exporter');
    });
  });

  describeWithStack(['promtool'])('prometheus/prometheus.yml', () => {
    it('passes promtool check config, its Quasar alert rules included', () => {
      const result = checkPrometheusConfig(join(PROVISIONING, 'prometheus/prometheus.yml'));
      expect(result.output).toContain('SUCCESS');
      expect(result.output).toMatch(/rules\/quasar\.rules\.yml\s+SUCCESS: \d+ rules found/);
      expect(result.ok).toBe(true);
    });

    it('would be rejected if it were malformed', () => {
      const file = join(scratch, 'bad-prometheus.yml');
      writeFileSync(file, 'scrape_configs:\n  - job_name: x\n    scrape_interval: often\n');
      expect(checkPrometheusConfig(file).ok).toBe(false);
    });
  });
});
