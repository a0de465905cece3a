/**
 * Every command of the README, run as written in a fresh copy of the repository, in the order
 * a newcomer meets them: `npm ci`, `npx quasar-collector` and `npx quasar-agent` (which must
 * find the local bins, never the registry: npm runs offline here, so a missing bin fails
 * instead of downloading a stranger's package), `npm run demo` until it is ready and Ctrl-C,
 * the prerequisites' fetch and build scripts, the sidecar example writing a heartbeat, the
 * collector with `--help`, `--once` and running, the `curl` command against it, the Grafana
 * and pulse-web builds, the standalone Pulse page, and the compose stack's `.env`.
 *
 * The copy holds the files git tracks plus new files it does not ignore, so uncommitted edits
 * are what gets tested, and its parent folder holds nothing else. The commands are read from
 * the README itself; only their example addresses are pointed at private servers
 * (readme/endpoints.ts). What cannot run here (apt-get, Docker, and `npm test`, which would
 * run this test again) is proven where readme/coverage.ts says: `.ci/run` runs `npm test`,
 * `npm run build`, lint and typecheck on a fresh clone, and that CI run is their proof. In its
 * place, the suite that once read a folder beside the checkout runs in the copy, under
 * CI=true.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import Redis from 'ioredis';
import { QuasarAgent } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { describeUnless } from '../../testing/gate';
import { startOtlpReceiver } from '../../testing/otlp-receiver';
import type { OtlpReceiver, ReceivedRequest } from '../../testing/otlp-receiver';
import { eventually } from '../../testing/redis';
import { freePort, startRedisServer } from '../../testing/redis-server';
import type { RedisServer } from '../../testing/redis-server';
import {
  documentedFlags,
  exportedName,
  leadingAssignments,
  promisedReply,
  readmeCommands,
} from './readme/commands';
import type { ReadmeCommand } from './readme/commands';
import { RUN_IN_CLONE, provenElsewhere, runKind } from './readme/coverage';
import type { RunKind } from './readme/coverage';
import { withPrivateEndpoints } from './readme/endpoints';
import type { PrivateEndpoints } from './readme/endpoints';
import { freshCopy } from './readme/fresh-copy';
import type { FreshCopy } from './readme/fresh-copy';
import { ShellSession } from './readme/shell-session';
import type { Finished, Running } from './readme/shell-session';

const REPO = join(__dirname, '..', '..');
const MINUTE = 60_000;
/** npx must find the local bin; offline, a missing one fails instead of downloading. */
const OFFLINE = { npm_config_offline: 'true' };
const NOT_BUILT = /is not built yet: run `npm run build` at the repository root first/;
/** The secrets the README's prose asks the reader to set for commands. */
const COMMAND_TOKEN = 'readme-command-signing-secret';
const WRITE_TOKEN = 'readme-write-token';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function missingTools(): string | undefined {
  const tools = ['bash', 'git', 'redis-server', 'openssl', 'curl'];
  const missing = tools.filter(
    (tool) => spawnSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
  );
  return missing.length === 0 ? undefined : `not on the PATH: ${missing.join(', ')}`;
}

/** What the prerequisites' scripts need when their caches are empty. */
function missingBuildTools(): string | undefined {
  const tools = ['go', 'mvn', 'java'];
  const missing = tools.filter(
    (tool) => spawnSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
  );
  return missing.length === 0
    ? undefined
    : `${missing.join(', ')} not on the PATH: the README's prerequisites cannot be fetched or built`;
}

/**
 * Fails unless a long-running command stopped on `signal`: npm (`npm run`, `npx`) passes the
 * signal on, waits for its command, then ends by the same signal, as a shell expects of it.
 */
function expectStoppedBy(finished: Finished, signal: NodeJS.Signals, what: string): void {
  const stopped = finished.code === 0 || finished.signal === signal;
  const output = stopped ? '' : `${finished.stdout}\n${finished.stderr}`;
  expect({ what, stopped, output }).toEqual({ what, stopped: true, output: '' });
}

/** Fails with the command's output unless it exited with `code`. */
function expectExit(finished: Finished, code: number, what: string): void {
  const output = `${finished.stdout}\n${finished.stderr}`;
  expect({ what, code: finished.code, output: finished.code === code ? '' : output }).toEqual({
    what,
    code,
    output: '',
  });
}

/** The metrics requests among `requests` that carry `text`, in JSON or protobuf alike. */
function metricsWith(requests: readonly ReceivedRequest[], text: string): ReceivedRequest[] {
  return requests.filter(
    (request) => request.signal === 'metrics' && request.body.includes(Buffer.from(text)),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeUnless(missingTools())('the README, run as written in a fresh clone', () => {
  const commands = readmeCommands(readFileSync(join(REPO, 'README.md'), 'utf8'));
  const ran = new Set<string>();
  /** Where the README's curl sends its command: the agent below listens there. */
  let request: { service: string; queue: string };
  let copy: FreshCopy;
  let shell: ShellSession;
  let redis: RedisServer;
  let otlp: OtlpReceiver;
  let endpoints: PrivateEndpoints;
  let collector: Running | undefined;
  let agent: QuasarAgent | undefined;
  let probe: Redis;

  /** The one README command of `kind`. */
  function readme(kind: RunKind): ReadmeCommand {
    const found = commands.filter((c) => RUN_IN_CLONE[kind].test(c.text));
    expect({ kind, count: found.length }).toEqual({ kind, count: 1 });
    return found[0]!;
  }

  /** `command` as the reader types it, with `flags` added and the private addresses. */
  function typed(command: ReadmeCommand, flags: string[] = []): string {
    return withPrivateEndpoints([command.text, ...flags].join(' '), endpoints);
  }

  async function run(
    command: ReadmeCommand,
    options: { flags?: string[]; env?: Record<string, string>; timeoutMs: number },
  ): Promise<Finished> {
    const exported = exportedName(command);
    const finished = await shell.run(typed(command, options.flags), {
      env: options.env,
      exports: exported ? [exported] : [],
      timeoutMs: options.timeoutMs,
    });
    if (finished.code === 0 && !options.flags?.length) ran.add(command.text);
    return finished;
  }

  beforeAll(async () => {
    request = JSON.parse(/-d '(\{.*?\})'/.exec(readme('command').text)![1]!) as typeof request;
    copy = freshCopy(REPO);
    redis = await startRedisServer();
    otlp = await startOtlpReceiver();
    probe = new Redis(redis.url);
    endpoints = {
      redis: `redis://127.0.0.1:${redis.port}`,
      otlp: otlp.endpoint,
      collector: `http://127.0.0.1:${await freePort()}`,
    };
    shell = new ShellSession(copy.dir);
  }, MINUTE);

  afterAll(async () => {
    await agent?.stop();
    await collector?.stop();
    probe?.disconnect();
    await otlp?.close();
    await redis?.stop();
    // About 100,000 installed files: deleting them takes minutes on a loaded machine.
    await copy?.remove();
  }, 15 * MINUTE);

  it('copies the checkout into a folder with nothing beside it', () => {
    expect(readdirSync(dirname(copy.dir))).toEqual([basename(copy.dir)]);
    expect(readFileSync(join(copy.dir, 'README.md'), 'utf8')).toBe(
      readFileSync(join(REPO, 'README.md'), 'utf8'),
    );
  });

  it(
    'installs with `npm ci`, which links every workspace bin to a committed launcher',
    async () => {
      expectExit(await run(readme('install'), { timeoutMs: 20 * MINUTE }), 0, 'npm ci');
      for (const bin of ['quasar-agent', 'quasar-collector', 'quasar-pulse-web']) {
        const target = realpathSync(join(copy.dir, 'node_modules', '.bin', bin));
        expect(target.startsWith(`${realpathSync(copy.dir)}${sep}`)).toBe(true);
        expect(target.endsWith(`${sep}bin${sep}${bin}.js`)).toBe(true);
      }
    },
    21 * MINUTE,
  );

  it(
    'answers `npx quasar-collector` and `npx quasar-agent` before a build with how to make one',
    async () => {
      for (const kind of ['collector', 'sidecar'] as const) {
        const finished = await run(readme(kind), {
          flags: ['--help'],
          env: OFFLINE,
          timeoutMs: 2 * MINUTE,
        });
        expect({ kind, code: finished.code, stderr: finished.stderr }).toEqual({
          kind,
          code: 1,
          stderr: expect.stringMatching(NOT_BUILT),
        });
      }
    },
    5 * MINUTE,
  );

  it(
    'runs `npm run demo`, which builds what it needs, is ready, and stops entirely on Ctrl-C',
    async () => {
      const port = await freePort();
      const demo = shell.start(typed(readme('demo')), { env: { DEMO_PORT: String(port) } });
      try {
        await eventually(
          () => (/ready in [\d.]+ s/.test(demo.output()) ? true : undefined),
          10 * MINUTE,
          `the demo to be ready:\n${demo.output()}`,
        );
        expect(demo.output()).toContain(`Pulse page at http://localhost:${port}`);
        expect((await fetch(`http://localhost:${port}/`)).status).toBe(200);
      } finally {
        const pids = [...demo.output().matchAll(/\(.*?pid (\d+)\)/g)].map((m) => Number(m[1]));
        demo.signal('SIGINT');
        const finished = await demo.exited;
        expect(pids.length).toBeGreaterThanOrEqual(6);
        expectStoppedBy(finished, 'SIGINT', 'npm run demo, after Ctrl-C');
        expect(finished.stdout).toContain('quasar-demo: stopped');
        await eventually(
          () => (pids.some(isAlive) ? undefined : true),
          30_000,
          `every process of the demo to exit: ${pids.filter(isAlive).join(', ')}`,
        );
      }
      ran.add(readme('demo').text);
    },
    12 * MINUTE,
  );

  describeUnless(missingBuildTools())('the prerequisites', () => {
    it(
      'fetches ElasticMQ into QUASAR_ELASTICMQ_LIB, cached by pom hash',
      async () => {
        expectExit(await run(readme('elasticMq'), { timeoutMs: 15 * MINUTE }), 0, 'fetch.sh');
        const lib = shell.env.QUASAR_ELASTICMQ_LIB ?? '';
        expect(readdirSync(lib).some((jar) => /^elasticmq-server_.*\.jar$/.test(jar))).toBe(true);
      },
      16 * MINUTE,
    );

    it(
      'builds the OpenTelemetry Collector, cached by manifest hash, and prints its path',
      async () => {
        const finished = await run(readme('otelcol'), { timeoutMs: 30 * MINUTE });
        expectExit(finished, 0, 'build.sh');
        const binary = finished.stdout.trim().split('\n').pop() ?? '';
        accessSync(binary, constants.X_OK);
        expect(spawnSync(binary, ['--version']).status).toBe(0);
      },
      31 * MINUTE,
    );
  });

  it(
    'runs the sidecar example: --help lists its variables; it beats, and SIGTERM removes it',
    async () => {
      const command = readme('sidecar');
      const help = await run(command, {
        flags: documentedFlags(command),
        env: OFFLINE,
        timeoutMs: MINUTE,
      });
      expectExit(help, 0, 'quasar-agent --help');
      expect(documentedFlags(command)).toEqual(['--help']);
      const variables = [...leadingAssignments(command).keys()];
      for (const name of variables)
        expect({ name, listed: help.stdout.includes(name) }).toEqual({ name, listed: true });

      const service = leadingAssignments(command).get('QUASAR_SERVICE') ?? '';
      const beats = () => probe.keys(QuasarKeys.node(service, '*'));
      const sidecar = shell.start(typed(command), { env: OFFLINE });
      try {
        await eventually(
          async () => ((await beats()).length > 0 ? true : undefined),
          MINUTE,
          `a heartbeat of ${service}:\n${sidecar.output()}`,
        );
      } finally {
        sidecar.signal('SIGTERM');
      }
      const stopped = await sidecar.exited;
      expectStoppedBy(stopped, 'SIGTERM', 'npx quasar-agent, after SIGTERM');
      expect(stopped.stderr + stopped.stdout).toMatch(/stopped; heartbeat of \S+ removed/);
      expect(await beats()).toEqual([]);
      ran.add(command.text);
    },
    3 * MINUTE,
  );

  it('exports the collector settings, as the reader’s shell does', async () => {
    const settings = commands.filter((c) => RUN_IN_CLONE.collectorSetting.test(c.text));
    expect(settings.length).toBe(3);
    for (const setting of settings)
      expectExit(await run(setting, { timeoutMs: MINUTE }), 0, setting.text);
    expect(shell.env.REDIS_URL).toBe(endpoints.redis);
    expect(shell.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(endpoints.otlp);
    expect(shell.env.QUASAR_API_TOKEN).toMatch(/^[0-9a-f]{48}$/);
  });

  it('starts an agent that accepts remote commands, as the README’s remote-control snippet does', async () => {
    agent = new QuasarAgent({
      service: request.service,
      transport: { url: endpoints.redis },
      logger: silent,
    });
    agent.monitorQueue(request.queue, 'bullmq');
    await agent.enableRemoteControl({
      queues: { [request.queue]: ['retry', 'delete'] },
      token: COMMAND_TOKEN,
    });
    expect((await agent.start()).connected).toBe(true);
  });

  it(
    'runs `npx quasar-collector --help` and `--once`, which exports the agent’s node over OTLP',
    async () => {
      const command = readme('collector');
      expect(documentedFlags(command)).toEqual(['--help', '--once']);
      const help = await run(command, { flags: ['--help'], env: OFFLINE, timeoutMs: MINUTE });
      expectExit(help, 0, 'quasar-collector --help');
      for (const name of ['REDIS_URL', 'QUASAR_API_TOKEN', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
        expect({ name, listed: help.stdout.includes(name) }).toEqual({ name, listed: true });
      }
      const before = otlp.requests.length;
      const once = await run(command, { flags: ['--once'], env: OFFLINE, timeoutMs: 2 * MINUTE });
      expectExit(once, 0, 'quasar-collector --once');
      expect(metricsWith(otlp.requests.slice(before), agent!.getNodeId()).length).toBe(1);
    },
    4 * MINUTE,
  );

  it(
    'runs `npx quasar-collector`, and the README’s curl issues a command through it',
    async () => {
      const port = new URL(endpoints.collector).port;
      collector = shell.start(typed(readme('collector')), {
        env: {
          ...OFFLINE,
          HOST: '127.0.0.1',
          PORT: port,
          QUASAR_TOKEN: COMMAND_TOKEN,
          QUASAR_API_WRITE_TOKEN: WRITE_TOKEN,
        },
      });
      await eventually(
        async () =>
          (await fetch(`${endpoints.collector}/readyz`).catch(() => undefined))?.status === 200
            ? true
            : undefined,
        2 * MINUTE,
        `the collector to be ready:\n${collector.output()}`,
      );
      ran.add(readme('collector').text);

      const curl = readme('command');
      const reply = await run(curl, {
        env: { QUASAR_API_WRITE_TOKEN: WRITE_TOKEN },
        timeoutMs: MINUTE,
      });
      expectExit(reply, 0, 'curl');
      const promised = promisedReply(curl);
      expect(promised.status).toBe(202);
      const placeholders = Object.fromEntries(
        Object.entries(promised.body as Record<string, unknown>).map(([key, value]) => [
          key,
          value === '…' ? expect.any(String) : value,
        ]),
      );
      expect(JSON.parse(reply.stdout) as unknown).toEqual(expect.objectContaining(placeholders));
    },
    4 * MINUTE,
  );

  it(
    'builds and runs the standalone Pulse page against that collector',
    async () => {
      expectExit(
        await run(readme('buildPulseWeb'), { timeoutMs: 10 * MINUTE }),
        0,
        'pulse-web build',
      );
      const port = await freePort();
      const page = shell.start(typed(readme('pulseWeb')), { env: { PORT: String(port) } });
      try {
        await eventually(
          () => (page.stdout().includes('Quasar Pulse page on') ? true : undefined),
          MINUTE,
          `the Pulse page to start:\n${page.output()}`,
        );
        expect(page.stdout()).toContain(
          `http://127.0.0.1:${port}/a/gravito-quasar-app (role Editor)`,
        );
        const nodes = await eventually(
          async () => {
            const response = await fetch(
              `http://127.0.0.1:${port}/api/plugin-proxy/gravito-quasar-app/api/pulse/nodes`,
            );
            const text = await response.text();
            return response.status === 200 && text.includes(agent!.getNodeId()) ? text : undefined;
          },
          MINUTE,
          'the agent’s node through the page’s proxy',
        );
        expect(JSON.parse(nodes)).toHaveProperty('nodes');
      } finally {
        page.signal('SIGTERM');
      }
      expectExit(await page.exited, 0, 'quasar-pulse-web, after SIGTERM');
      ran.add(readme('pulseWeb').text);
    },
    12 * MINUTE,
  );

  it(
    'builds the Grafana app into grafana-plugin/dist/',
    async () => {
      expectExit(
        await run(readme('buildPlugin'), { timeoutMs: 10 * MINUTE }),
        0,
        'grafana-plugin build',
      );
      for (const file of ['plugin.json', 'module.js']) {
        accessSync(join(copy.dir, 'grafana-plugin', 'dist', file));
      }
    },
    11 * MINUTE,
  );

  it('writes the compose stack’s .env with every secret docker-compose.yml requires', async () => {
    expectExit(await run(readme('composeSecrets'), { timeoutMs: MINUTE }), 0, 'printf > .env');
    const env = new Map(
      readFileSync(join(copy.dir, '.env'), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('=') as [string, string]),
    );
    const required = [
      ...readFileSync(join(copy.dir, 'docker-compose.yml'), 'utf8').matchAll(/\$\{(\w+):\?/g),
    ].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    for (const name of new Set(required)) {
      expect({ name, value: env.get(name) }).toEqual({
        name,
        value: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
  });

  it(
    'runs, with nothing beside the checkout, the suite that once read a folder beside it',
    async () => {
      const finished = await shell.run(
        'cd sdk && node ../node_modules/jest/bin/jest.js test/schema',
        { env: { CI: 'true' }, timeoutMs: 5 * MINUTE },
      );
      expectExit(finished, 0, 'sdk test/schema under CI=true');
      expect(finished.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    },
    6 * MINUTE,
  );

  it('ran every other README command, or names the CI step or test that proves it', () => {
    // Locally, without Go, Maven or Java, the prerequisites' suite is skipped with a banner
    // (under CI=true it fails instead); their commands are then not counted here.
    const skipped = missingBuildTools() ? [RUN_IN_CLONE.elasticMq, RUN_IN_CLONE.otelcol] : [];
    const rest = commands.filter(
      (c) => !ran.has(c.text) && !skipped.some((pattern) => pattern.test(c.text)),
    );
    for (const command of rest) {
      expect({ command: command.text, runs: runKind(command.text) }).toEqual({
        command: command.text,
        runs: undefined,
      });
      const rule = provenElsewhere(command);
      if (!rule)
        throw new Error(`README.md:${command.line}: nothing runs or proves: ${command.text}`);
      rule.proof(command.text, (part) => ran.has(part));
    }
  });
});
