/**
 * docker-compose.yml, checked statically (no Docker engine runs here): it parses, names the
 * services docs/compose.md describes, pins its images, and points only at files that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO,
  composeService,
  composeServices,
  parseYaml,
  readRepoFile,
  readYaml,
  record,
  str,
} from './support';

const SERVICES = [
  'redis',
  'otel-collector',
  'prometheus',
  'grafana',
  'quasar-collector',
  'demo-api',
  'demo-worker',
  'demo-producer',
  'demo-sidecar',
];

describe('docker-compose.yml', () => {
  it('parses as strict YAML, which rejects a duplicated key', () => {
    expect(() => readYaml('docker-compose.yml')).not.toThrow();
    expect(() => parseYaml('services:\n  a: {}\n  a: {}\n', 'dup.yml')).toThrow(/dup\.yml/);
  });

  it('runs the demo stack’s services, and only those', () => {
    expect([...composeServices().keys()].sort()).toEqual([...SERVICES].sort());
  });

  it('pins every image to a version, never latest', () => {
    for (const svc of composeServices().values()) {
      if (svc.build) continue;
      expect({ service: svc.name, image: svc.image }).toEqual({
        service: svc.name,
        image: expect.stringMatching(/^[\w./-]+:v?\d+\.\d+(\.\d+)?$/),
      });
    }
    expect(composeService('grafana').image).toMatch(/^grafana\/grafana:1[23]\./);
  });

  it('runs the OpenTelemetry Collector release the tests validate the config with', () => {
    const manifest = record(readYaml('testing/otelcol/manifest.yaml'), 'manifest');
    const version = str(record(manifest.dist, 'dist').version, 'dist.version');
    expect(composeService('otel-collector').image).toBe(
      `otel/opentelemetry-collector-contrib:${version}`,
    );
  });

  it('mounts only host paths that exist, read-only', () => {
    const mounts = [...composeServices().values()].flatMap((svc) =>
      svc.volumes.map((v) => ({ service: svc.name, ...v })),
    );
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts) {
      expect(mount.host).toMatch(/^\.\//);
      expect({ ...mount, exists: existsSync(join(REPO, mount.host)) }).toEqual({
        ...mount,
        exists: true,
      });
      expect(mount.mode).toBe('ro');
    }
  });

  it('builds from the repository root with Dockerfiles that exist', () => {
    const built = [...composeServices().values()].filter((svc) => svc.build);
    expect(built.map((svc) => svc.name).sort()).toEqual([
      'demo-api',
      'demo-producer',
      'demo-sidecar',
      'demo-worker',
      'quasar-collector',
    ]);
    for (const svc of built) {
      expect({ service: svc.name, context: svc.build?.context }).toEqual({
        service: svc.name,
        context: '.',
      });
      const dockerfile = svc.build?.dockerfile ?? '';
      expect({ dockerfile, exists: existsSync(join(REPO, dockerfile)) }).toEqual({
        dockerfile,
        exists: true,
      });
      // BuildKit reads <Dockerfile>.dockerignore, so each build context stays minimal.
      expect(existsSync(join(REPO, `${dockerfile}.dockerignore`))).toBe(true);
    }
    expect(composeService('quasar-collector').build?.dockerfile).toBe(
      'deploy/collector/Dockerfile',
    );
    expect(composeService('demo-sidecar').build?.dockerfile).toBe('deploy/quasar-agent/Dockerfile');
  });

  it('mounts exactly the collector and Prometheus configs and the rules that stack-configs.test.ts validates', () => {
    // That suite runs `otelcol validate` and `promtool check config` on these two files, and
    // `promtool test rules` on the rules (alert-rules.test.ts).
    const validated = readFileSync(join(REPO, 'test/provisioning/stack-configs.test.ts'), 'utf8');
    expect(validated).toContain("join(PROVISIONING, 'otel-collector/config.yaml')");
    expect(validated).toContain("join(PROVISIONING, 'prometheus/prometheus.yml')");
    expect(composeService('otel-collector').volumes).toEqual([
      {
        host: './provisioning/otel-collector/config.yaml',
        container: '/etc/otelcol-contrib/config.yaml',
        mode: 'ro',
      },
    ]);
    expect(composeService('otel-collector').command).toEqual([
      '--config=/etc/otelcol-contrib/config.yaml',
    ]);
    expect(composeService('prometheus').volumes).toEqual([
      {
        host: './provisioning/prometheus/prometheus.yml',
        container: '/etc/prometheus/prometheus.yml',
        mode: 'ro',
      },
      {
        host: './provisioning/prometheus/rules/quasar.rules.yml',
        container: '/etc/prometheus/rules/quasar.rules.yml',
        mode: 'ro',
      },
    ]);
    expect(composeService('prometheus').command).toContain(
      '--config.file=/etc/prometheus/prometheus.yml',
    );
  });

  it('requires the shared secrets from the environment rather than shipping a default', () => {
    const text = readRepoFile('docker-compose.yml');
    for (const name of ['QUASAR_API_TOKEN', 'QUASAR_TOKEN']) {
      const uses = [...text.matchAll(new RegExp(`\\$\\{${name}(\\W[^}]*)?\\}`, 'g'))];
      expect(uses.length).toBeGreaterThan(0);
      for (const [use] of uses) expect(use).toMatch(new RegExp(`^\\$\\{${name}:\\?.+\\}$`));
    }
  });

  it('starts each service after the ones it needs, waiting on health where there is a check', () => {
    const services = composeServices();
    for (const svc of services.values()) {
      for (const [dependency, condition] of Object.entries(svc.dependsOn)) {
        const target = services.get(dependency);
        expect({ service: svc.name, dependency, known: target !== undefined }).toEqual({
          service: svc.name,
          dependency,
          known: true,
        });
        const expected = target?.healthcheck.length ? 'service_healthy' : 'service_started';
        expect({ service: svc.name, dependency, condition }).toEqual({
          service: svc.name,
          dependency,
          condition: expected,
        });
      }
    }
    for (const name of ['quasar-collector', 'demo-api', 'demo-worker', 'demo-producer']) {
      expect(composeService(name).dependsOn.redis).toBe('service_healthy');
    }
  });
});
