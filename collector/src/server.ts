/**
 * The process: parses configuration, connects, runs the collector and the API, and shuts
 * down cleanly on SIGINT/SIGTERM. `main` returns the exit code instead of exiting, for tests.
 */
import pino from 'pino';
import type { Logger } from 'pino';
import { buildApp } from './api/app';
import { commandTokenCount } from './auth/principal';
import { auditEntriesWithinRetention, backstopReachable } from './config/audit-budget';
import { CollectorConfigError } from './config/errors';
import { helpText } from './config/help';
import type { CollectorConfig } from './config/options';
import { resolveConfig } from './config/resolve';
import { SETTINGS } from './config/settings';
import { QuasarCollector } from './cycle/quasar-collector';
import { describeError, redactUrl } from './util/describe-error';
import { MetricBatchExporter } from './otlp/metric-exporter';
import { closeRedis, openRedis } from './redis/connection';
import { createLogExporter } from './slowlog/log-exporter';
import { COLLECTOR_NAME, COLLECTOR_VERSION } from './version';

type Env = Readonly<Record<string, string | undefined>>;

export interface MainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the process should stop (a signal); `--once` ignores it. */
  untilSignal?: Promise<string>;
}

/** What is safe to log about the configuration: no secret setting's value, no URL password. */
export function loggableConfig(config: CollectorConfig): Record<string, unknown> {
  const safe: Record<string, unknown> = { ...config, redisUrl: redactUrl(config.redisUrl) };
  for (const s of SETTINGS) {
    if ('secret' in s && s.secret) safe[s.key] = safe[s.key] ? '(set)' : '(none)';
  }
  // Names and scopes are worth a start-up line; the secrets never are.
  safe.apiTokens = config.apiTokens.map((t) => `${t.name}:${t.scopes.join(',')}`);
  return safe;
}

export function createLogger(level: string): Logger {
  return pino({
    name: COLLECTOR_NAME,
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '***' },
  });
}

function signalPromise(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => resolve(signal));
  });
}

export async function main(argv: readonly string[], env: Env, io: MainIo): Promise<number> {
  let config: CollectorConfig;
  try {
    const outcome = resolveConfig(argv, env);
    if (outcome.help) {
      io.stdout(helpText());
      return 0;
    }
    config = outcome.config;
  } catch (error) {
    if (error instanceof CollectorConfigError) {
      io.stderr(
        `quasar-collector: ${error.message}\nRun quasar-collector --help for the options.\n`,
      );
      return 2;
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  logger.info({ version: COLLECTOR_VERSION, config: loggableConfig(config) }, 'starting');
  if (config.noAuth && !config.once) {
    logger.warn('--no-auth: the Pulse API is open to anyone who can reach it');
  }
  if (config.readOnly && !config.once) {
    logger.info('--read-only: every command is refused');
  }
  if (!config.commandToken && !config.once) {
    if (config.allowUnsignedCommands) {
      logger.warn('--allow-unsigned-commands: commands are sent unsigned (no QUASAR_TOKEN)');
    } else {
      logger.info('remote control is off: set QUASAR_TOKEN to sign and issue commands');
    }
  }

  const commandTokens = Math.max(1, commandTokenCount(config));
  if (backstopReachable(config, 1, commandTokens) && !config.once) {
    const reachable = auditEntriesWithinRetention(config, commandTokens);
    logger.warn(
      { auditMaxLength: config.auditMaxLength, reachable, commandTokens },
      '--audit-max-length is within reach of --command-rate over --audit-retention: a flood of commands could trim audit entries younger than the retention',
    );
  }

  const redis = openRedis(config.redisUrl, 'main');
  const blockingRedis = config.exportLogs ? openRedis(config.redisUrl, 'slowlog') : undefined;
  for (const client of [redis, blockingRedis]) {
    client?.on('error', (error: Error) =>
      logger.debug({ err: describeError(error) }, 'redis connection error'),
    );
  }
  const exportOptions = { maxRequestBytes: config.maxExportBytes, logger };
  const metricExporter = config.exportMetrics
    ? new MetricBatchExporter(config.metricsProtocol, {}, exportOptions)
    : undefined;
  const logExporter = config.exportLogs
    ? createLogExporter(config.logsProtocol, exportOptions)
    : undefined;
  const collector = new QuasarCollector(config, {
    redis,
    blockingRedis,
    metricExporter,
    logExporter,
    logger,
  });

  const shutdown = async () => {
    await collector.stop();
    await Promise.all([metricExporter?.shutdown(), logExporter?.shutdown()]);
    await Promise.all([closeRedis(redis), blockingRedis && closeRedis(blockingRedis)]);
  };

  if (config.once) {
    try {
      const outcome = await collector.runOnce();
      logger.info(
        outcome,
        outcome.ok ? 'cycle done' : 'cycle export failed: some requests were not delivered',
      );
      return outcome.ok ? 0 : 1;
    } catch (error) {
      logger.error({ err: describeError(error) }, 'cycle failed');
      return 1;
    } finally {
      await shutdown();
    }
  }

  const { app } = buildApp(
    {
      state: collector.state,
      redis,
      stats: () => collector.stats(),
      readiness: () => collector.readiness(),
      ...(collector.slowGroups
        ? { slowGroups: { groups: collector.slowGroups, replica: config.consumerName } }
        : {}),
    },
    {
      apiToken: config.apiToken,
      apiTokens: config.apiTokens,
      noAuth: config.noAuth,
      readOnly: config.readOnly,
      apiWriteToken: config.apiWriteToken,
      commands: {
        token: config.commandToken,
        previousTokens: config.commandPreviousTokens ?? [],
        allowUnsigned: config.allowUnsignedCommands,
        ttlMs: config.commandTtlMs,
        resultTimeoutMs: config.commandResultTimeoutMs,
        auditRetentionMs: config.auditRetentionMs,
        auditMaxLength: config.auditMaxLength,
      },
      commandRate: { perMinute: config.commandRatePerMinute, burst: config.commandBurst },
    },
    logger,
  );
  collector.start();
  try {
    const address = await app.listen({ port: config.port, host: config.host });
    logger.info({ address }, 'Pulse API listening');
  } catch (error) {
    logger.error({ err: describeError(error) }, 'cannot listen');
    await shutdown();
    return 1;
  }
  const signal = await (io.untilSignal ?? signalPromise());
  logger.info({ signal }, 'stopping');
  await app.close();
  await shutdown();
  return 0;
}
