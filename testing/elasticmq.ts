/**
 * Runs ElasticMQ, a real SQS emulator speaking the JSON protocol of `@aws-sdk/client-sqs`, for
 * the sqs probe's integration tests: one JVM on a free loopback port, with queue URLs that
 * point at that port. The jars come from `testing/elasticmq/fetch.sh`, through
 * `QUASAR_ELASTICMQ_LIB`; like `describeWithStack`, a missing emulator fails under `CI=true`
 * and skips loudly elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, spawnManaged, waitUntilReady } from './managed-process';
import { freePort } from './redis-server';
import { describeUnless } from './gate';

/** A directory holding the ElasticMQ server jars (what `testing/elasticmq/fetch.sh` prints). */
export const ELASTICMQ_LIB_ENV = 'QUASAR_ELASTICMQ_LIB';

const MAIN_CLASS = 'org.elasticmq.server.Main';
/** A JVM start on two busy shared cores can take several seconds. */
const START_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;
/** A small heap and the client compiler only: the emulator holds a handful of messages. */
const JVM_ARGS = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'] as const;
const INSTALL_HINT =
  'run `bash testing/elasticmq/fetch.sh` (needs `java` and `mvn`: ' +
  '`apt-get install -y default-jre-headless maven`) and export ' +
  `${ELASTICMQ_LIB_ENV} to the directory it prints`;

/** A running ElasticMQ. */
export interface ElasticMq {
  /** The SQS endpoint, e.g. `http://127.0.0.1:40123`; queue URLs start with it. */
  readonly endpoint: string;
  /** Stops the JVM and removes its config. Idempotent. */
  stop(): Promise<void>;
}

function hasJava(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Why ElasticMQ cannot run here, with the remedy; undefined when it can. */
export function elasticMqProblem(): string | undefined {
  const lib = process.env[ELASTICMQ_LIB_ENV];
  if (!lib) return `ElasticMQ is not available: ${ELASTICMQ_LIB_ENV} is not set; ${INSTALL_HINT}`;
  let jars: string[];
  try {
    jars = readdirSync(lib).filter((file) => file.endsWith('.jar'));
  } catch {
    return `ElasticMQ is not available: ${ELASTICMQ_LIB_ENV}=${lib} is not a readable directory; ${INSTALL_HINT}`;
  }
  if (!jars.some((jar) => jar.startsWith('elasticmq-server_'))) {
    return `ElasticMQ is not available: no elasticmq-server jar in ${ELASTICMQ_LIB_ENV}=${lib}; ${INSTALL_HINT}`;
  }
  if (!hasJava()) return `ElasticMQ is not available: \`java\` is not on the PATH; ${INSTALL_HINT}`;
  return undefined;
}

/** True when `startElasticMq()` can run: the jars are found and `java` is on the PATH. */
export function elasticMqAvailable(): boolean {
  return elasticMqProblem() === undefined;
}

/**
 * `describe` when ElasticMQ can run. Otherwise, under `CI=true`, a suite whose one test fails
 * naming what is missing; locally, a skipped suite and a banner on stderr.
 */
export function describeWithElasticMq(): jest.Describe {
  return describeUnless(elasticMqProblem());
}

/** The server config: REST SQS only, on `port`, with queue URLs naming that same port. */
function elasticMqConfig(port: number): string {
  return [
    'include classpath("application.conf")',
    'pekko.loglevel = "INFO"',
    `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1" }`,
    'rest-stats.enabled = false',
    `node-address { protocol = http, host = "127.0.0.1", port = ${port}, context-path = "" }`,
    'generate-node-address = false',
    '',
  ].join('\n');
}

async function startOn(port: number, lib: string): Promise<ElasticMq> {
  const dir = mkdtempSync(join(tmpdir(), 'quasar-elasticmq-'));
  const configFile = join(dir, 'elasticmq.conf');
  writeFileSync(configFile, elasticMqConfig(port));
  const proc = spawnManaged(
    'java',
    [...JVM_ARGS, `-Dconfig.file=${configFile}`, '-cp', join(lib, '*'), MAIN_CLASS],
    { name: 'elasticmq', cleanupDir: dir },
  );
  await waitUntilReady(
    proc,
    async () => /=== ElasticMQ server \S+ started/.test(proc.output()) && (await canConnect(port)),
    START_TIMEOUT_MS,
    `elasticmq to listen on ${port}`,
  );
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => proc.stop() };
}

/**
 * Starts ElasticMQ on a free loopback port and resolves once it has announced its start and
 * accepts connections, retrying with a new port if another process took the picked one.
 * @throws when ElasticMQ is not available (see `elasticMqProblem`) or does not start.
 */
export async function startElasticMq(): Promise<ElasticMq> {
  const problem = elasticMqProblem();
  if (problem !== undefined) throw new Error(problem);
  const lib = process.env[ELASTICMQ_LIB_ENV] as string;
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOn(await freePort(), lib);
    } catch (error) {
      lastError = error;
      if (!/already in use|BindException/.test(String(error))) break;
    }
  }
  throw lastError;
}
