/**
 * The `sqs` probe's access to `@aws-sdk/client-sqs`: loaded on first use, because it is an
 * optional peer dependency that only applications monitoring an SQS queue install, and typed
 * here by the few members the probe uses, so the SDK's own declarations never depend on it.
 */
import { QuasarConfigError } from '../../../options/errors';
import { optionError, stringOption } from '../../probe-options';
import type { ProbeOptions } from '../../types';

/** The package the probe loads. */
export const SQS_PACKAGE = '@aws-sdk/client-sqs';

/**
 * Attempts per request of a client the probe creates (the SDK's default is 3). A read stays
 * short when SQS is unreachable; the next tick tries again anyway.
 */
export const SQS_MAX_ATTEMPTS = 2;

/** The part of an `SQSClient` the probe uses. */
export interface SqsClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

/**
 * The AWS SDK falls back to `console` when a client has no logger of its own (e.g. to warn that
 * a queue URL's host differs from the endpoint); instrumentation must not write to the host's
 * console, so the probe's own client gets one that drops everything.
 */
const SILENT_LOGGER = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as const;

/** What the probe sets when it creates the client; everything else is the SDK's default. */
interface SqsClientConfig {
  region?: string;
  endpoint?: string;
  maxAttempts: number;
  logger: typeof SILENT_LOGGER;
}

/** The constructors the probe takes from `@aws-sdk/client-sqs`. */
export interface SqsModule {
  SQSClient: new (config: SqsClientConfig) => SqsClient;
  GetQueueUrlCommand: new (input: {
    QueueName: string;
    QueueOwnerAWSAccountId?: string;
  }) => unknown;
  GetQueueAttributesCommand: new (input: { QueueUrl: string; AttributeNames: string[] }) => unknown;
}

/** The probe's connection to SQS. */
export interface SqsConnection {
  readonly sqs: SqsModule;
  readonly client: SqsClient;
  /** Whether the probe created `client`, and so must destroy it on `close()`. */
  readonly owned: boolean;
}

function where(queue: string): string {
  return `monitorQueue(${JSON.stringify(queue)}, "sqs")`;
}

function isMissingPackage(error: unknown): boolean {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') {
    return false;
  }
  // Only the package itself: a broken install (a missing transitive module) keeps its own error.
  return (error.message.split('\n')[0] ?? '').includes(`'${SQS_PACKAGE}'`);
}

/**
 * Loads `@aws-sdk/client-sqs`.
 * @throws QuasarConfigError (option `type`) naming the package when it is not installed.
 */
export function loadSqsModule(queue: string): SqsModule {
  try {
    // A require at first use rather than an import: a static import would make every
    // application install the AWS SDK, and this keeps `monitorQueue()` synchronous.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: optional, loaded at first use
    return require(SQS_PACKAGE) as SqsModule;
  } catch (error) {
    if (!isMissingPackage(error)) throw error;
    throw new QuasarConfigError(
      'type',
      `${where(queue)}: the "sqs" type needs the package ${SQS_PACKAGE}, which is not ` +
        `installed; add it with \`npm install ${SQS_PACKAGE}\``,
    );
  }
}

function isSqsClient(value: unknown): value is SqsClient {
  if (typeof value !== 'object' || value === null) return false;
  const { send, destroy } = value as Partial<SqsClient>;
  return typeof send === 'function' && typeof destroy === 'function';
}

/**
 * Validates `client`, `region` and `endpoint`, loads the package, and returns the given client
 * or a new one. A new client takes its credentials, and its region unless `region` is given,
 * from the AWS SDK's default provider chain (environment, shared config files, SSO, container
 * and instance roles).
 * @throws QuasarConfigError naming the bad option, or the missing package.
 */
export function connectSqs(queue: string, options: ProbeOptions): SqsConnection {
  const region = stringOption(queue, 'sqs', options, 'region');
  const endpoint = stringOption(queue, 'sqs', options, 'endpoint');
  if (region === '') throw optionError(queue, 'sqs', 'region', 'a non-empty string');
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw optionError(
      queue,
      'sqs',
      'endpoint',
      'an absolute URL such as "https://sqs.eu-west-1.amazonaws.com"',
    );
  }
  const given = options.client;
  if (given !== undefined) {
    if (!isSqsClient(given)) throw optionError(queue, 'sqs', 'client', 'an SQSClient');
    // The given client already has its region and endpoint; silently ignoring ours would hide
    // a configuration mistake.
    const ignored = region !== undefined ? 'region' : endpoint !== undefined ? 'endpoint' : '';
    if (ignored) throw optionError(queue, 'sqs', ignored, 'omitted when "client" is given');
    return { sqs: loadSqsModule(queue), client: given, owned: false };
  }
  const sqs = loadSqsModule(queue);
  const client = new sqs.SQSClient({
    ...(region !== undefined && { region }),
    ...(endpoint !== undefined && { endpoint }),
    maxAttempts: SQS_MAX_ATTEMPTS,
    logger: SILENT_LOGGER,
  });
  return { sqs, client, owned: true };
}
