/**
 * The services of docker-compose.yml agree with each other and with the mounted configs: every
 * URL names a service of the stack and the port that service listens on, and the secrets that
 * must match are the same variable.
 */
import type { ComposeService } from './support';
import { composeService, composeServices, list, readYaml, record, str } from './support';

/** Ports the stock images listen on unless their command or config says otherwise. */
const IMAGE_PORTS: Record<string, number> = { redis: 6379, prometheus: 9090, grafana: 3000 };

const otelcol = record(readYaml('provisioning/otel-collector/config.yaml'), 'otelcol config');

/** The port of a `host:port` listen address in the OTel Collector's config. */
function otelcolPort(path: string[]): number {
  let node: unknown = otelcol;
  for (const key of path) node = record(node, path.join('.'))[key];
  return Number(str(node, path.join('.')).split(':').pop());
}

/** The port `svc` listens on: its PORT variable, else what its image uses. */
function listenPort(svc: ComposeService): number | undefined {
  const port = svc.environment.PORT;
  return port === undefined ? IMAGE_PORTS[svc.name] : Number(port);
}

/** `{ service, port }` of an in-stack URL, for comparing with the service it should reach. */
function target(url: string): { service: string; port: number } {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'redis:' ? '6379' : '80');
  return { service: parsed.hostname, port: Number(port) };
}

describe('the demo stack’s wiring', () => {
  const otlpHttp = otelcolPort(['receivers', 'otlp', 'protocols', 'http', 'endpoint']);

  it('sends OTLP from the collector and the demo apps to the otel-collector’s HTTP receiver', () => {
    expect(otlpHttp).toBe(4318);
    const senders = [...composeServices().values()].filter(
      (svc) => svc.environment.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined,
    );
    expect(senders.map((svc) => svc.name).sort()).toEqual([
      'demo-api',
      'demo-worker',
      'quasar-collector',
    ]);
    for (const svc of senders) {
      expect({
        from: svc.name,
        ...target(svc.environment.OTEL_EXPORTER_OTLP_ENDPOINT ?? ''),
      }).toEqual({ from: svc.name, service: 'otel-collector', port: otlpHttp });
    }
  });

  it('has Prometheus scrape each target at a service’s listening port', () => {
    const prometheus = record(readYaml('provisioning/prometheus/prometheus.yml'), 'prometheus');
    const targets = list(prometheus.scrape_configs, 'scrape_configs').flatMap((job) =>
      list(record(job, 'job').static_configs, 'static_configs').flatMap((group) =>
        list(record(group, 'group').targets, 'targets').map((t) => str(t, 'target')),
      ),
    );
    const exporter = otelcolPort(['exporters', 'prometheus', 'endpoint']);
    const expected = new Map([
      ['otel-collector', exporter],
      ['quasar-collector', listenPort(composeService('quasar-collector'))],
    ]);
    expect(targets.sort()).toEqual(['otel-collector:8889', 'quasar-collector:8080']);
    for (const t of targets) {
      const { service, port } = target(`http://${t}`);
      expect({ target: t, port }).toEqual({ target: t, port: expected.get(service) });
    }
  });

  it('points every Redis client at the redis service', () => {
    const clients = [...composeServices().values()].flatMap((svc) =>
      Object.entries(svc.environment)
        .filter(([key]) => /(^|_)REDIS_URL$/.test(key))
        .map(([key, url]) => ({ from: svc.name, key, ...target(url) })),
    );
    expect(clients.map((c) => c.from).sort()).toEqual([
      'demo-api',
      'demo-producer',
      'demo-sidecar',
      'demo-worker',
      'quasar-collector',
    ]);
    for (const client of clients) {
      expect(client).toEqual({ from: client.from, key: client.key, service: 'redis', port: 6379 });
    }
    expect(IMAGE_PORTS.redis).toBe(6379);
  });

  it('runs the collector and the demo API on the ports they publish and health-check', () => {
    for (const name of ['quasar-collector', 'demo-api']) {
      const svc = composeService(name);
      const port = listenPort(svc);
      expect(svc.ports).toEqual([{ ip: '127.0.0.1', host: port, container: port }]);
      const probe = svc.healthcheck.join(' ');
      expect(probe).toContain(`http://127.0.0.1:${port}/`);
    }
    expect(composeService('quasar-collector').environment.HOST).toBe('0.0.0.0');
    expect(composeService('quasar-collector').healthcheck.join(' ')).toContain('/readyz');
    expect(composeService('demo-api').healthcheck.join(' ')).toContain('/health');
  });

  it('publishes Grafana and Prometheus on their own ports, on loopback only', () => {
    for (const svc of composeServices().values()) {
      for (const port of svc.ports)
        expect({ service: svc.name, ip: port.ip }).toEqual({
          service: svc.name,
          ip: '127.0.0.1',
        });
    }
    expect(composeService('grafana').ports).toEqual([
      { ip: '127.0.0.1', host: 3000, container: IMAGE_PORTS.grafana },
    ]);
    expect(composeService('prometheus').ports).toEqual([
      { ip: '127.0.0.1', host: 9090, container: IMAGE_PORTS.prometheus },
    ]);
  });

  it('gives the collector, the worker and the API the same command-signing secret', () => {
    const holders = [...composeServices().values()].filter(
      (svc) => svc.environment.QUASAR_TOKEN !== undefined,
    );
    expect(holders.map((svc) => svc.name).sort()).toEqual([
      'demo-api',
      'demo-worker',
      'quasar-collector',
    ]);
    const values = new Set(holders.map((svc) => svc.environment.QUASAR_TOKEN));
    expect(values.size).toBe(1);
    expect([...values][0]).toMatch(/^\$\{QUASAR_TOKEN:\?/);
  });

  it('gives Grafana the API token the collector requires', () => {
    const collector = composeService('quasar-collector').environment.QUASAR_API_TOKEN;
    expect(collector).toMatch(/^\$\{QUASAR_API_TOKEN:\?/);
    expect(composeService('grafana').environment.QUASAR_API_TOKEN).toBe(collector);
  });

  it('runs each demo service’s script, and the sidecar as the Laravel host of the contract', () => {
    expect(composeService('demo-api').command).toEqual(['node', 'demo/dist/services/api.js']);
    expect(composeService('demo-worker').command).toEqual(['node', 'demo/dist/services/worker.js']);
    expect(composeService('demo-producer').command).toEqual([
      'node',
      'demo/dist/services/producer.js',
    ]);
    const sidecar = composeService('demo-sidecar').environment;
    expect(sidecar).toEqual({
      QUASAR_SERVICE: 'demo-laravel',
      QUASAR_TRANSPORT_REDIS_URL: 'redis://redis:6379',
      QUASAR_QUEUES: 'default:laravel,mail:stream',
      QUASAR_CHECKS: expect.any(String),
      QUASAR_LANGUAGE: 'php',
    });
  });

  it('has the sidecar probe the demo API’s health route on its port', () => {
    const checks = list(
      JSON.parse(composeService('demo-sidecar').environment.QUASAR_CHECKS ?? ''),
      'checks',
    );
    expect(checks).toEqual([{ name: 'demo-api', type: 'http', url: expect.any(String) }]);
    const url = str(record(checks[0], 'check').url, 'url');
    expect(target(url)).toEqual({
      service: 'demo-api',
      port: listenPort(composeService('demo-api')),
    });
    expect(new URL(url).pathname).toBe('/health');
  });
});
