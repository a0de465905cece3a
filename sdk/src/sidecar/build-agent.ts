/**
 * Turns resolved settings into a running configuration of `QuasarAgent`: its options (every
 * value explicit, so the sidecar's precedence is the one that applies), the heartbeat's
 * `meta`, and the queues and checks it watches. The agent's own validation errors are mapped
 * back to the setting that fed them.
 */
import { OutageLog } from '../agent/logger';
import { QuasarAgent } from '../agent/quasar-agent';
import type { CheckOptions } from '../checks/types';
import { QuasarConfigError } from '../options/errors';
import type { QuasarLogger, QuasarOptions } from '../options/types';
import { settingError, SidecarConfigError } from './errors';
import type { Origin } from './errors';
import { LaravelWorkerScanner } from './laravel-workers';
import type { ResolvedSettings } from './resolve-settings';
import { SETTING_LIST, SETTINGS } from './settings';
import type { SettingKey, SidecarSettings } from './settings';

/**
 * The heartbeat's `meta`: `sidecar: true`, and `laravel` when worker discovery is on. A scan
 * that fails (no `proc/` under the host root) is logged once per outage and rethrown, so the
 * agent sends that beat degraded, with `reading_failed:meta`.
 */
export function sidecarMeta(
  settings: SidecarSettings,
  logger: QuasarLogger,
): () => Record<string, unknown> {
  if (!settings.laravelWorkers) return () => ({ sidecar: true });
  const scanner = new LaravelWorkerScanner(settings.hostRoot);
  const outage = new OutageLog(logger, 'Laravel worker discovery');
  return () => {
    try {
      const laravel = scanner.read();
      outage.succeeded();
      return { sidecar: true, laravel };
    } catch (error) {
      outage.failed(error);
      throw error;
    }
  };
}

/** The agent's options for these settings. */
export function agentOptions(settings: SidecarSettings, logger: QuasarLogger): QuasarOptions {
  const { language, languageVersion } = settings;
  return {
    service: settings.service,
    ...(settings.name !== undefined ? { name: settings.name } : {}),
    transport: { url: settings.transport },
    ...(settings.keyLayout !== undefined ? { keyLayout: settings.keyLayout } : {}),
    ...(settings.monitor !== undefined ? { monitor: { url: settings.monitor } } : {}),
    interval: Math.round(settings.interval * 1000),
    hostRoot: settings.hostRoot,
    logger,
    otel: { exportOtlp: settings.otlpExport },
    slowLog: {
      enabled: settings.slowLogEnabled,
      requestThresholdMs: settings.slowRequestMs,
      jobThresholdMs: settings.slowJobMs,
      maxLen: settings.slowLogMaxLen,
    },
    application: {
      ...(language !== undefined ? { language } : {}),
      ...(languageVersion !== undefined ? { version: languageVersion } : {}),
      meta: sidecarMeta(settings, logger),
    },
  };
}

function originOf(resolved: ResolvedSettings, key: SettingKey): Origin {
  return resolved.origins[key] ?? { kind: 'default', name: key };
}

/** The setting whose `option` fed the agent's option `path` (`transport.url` → transport). */
function settingOfOption(path: string) {
  return SETTING_LIST.find((s) => s.option === path || path.startsWith(`${s.option}.`));
}

/** The agent's messages already name the queue or check (`monitorQueue("emails", "bullmq"): …`). */
function mapped(error: unknown, resolved: ResolvedSettings, key?: SettingKey): never {
  if (!(error instanceof QuasarConfigError)) throw error;
  const setting = key ? { key, ...SETTINGS[key] } : settingOfOption(error.option);
  if (!setting) throw new SidecarConfigError(undefined, error.message);
  throw settingError(setting, originOf(resolved, setting.key), error.message);
}

/**
 * Turns on remote control when the settings enable verbs on some queue; otherwise leaves it
 * off. The tokens go to the agent only, never into a message.
 * @throws SidecarConfigError when the agent rejects the remote-control options.
 */
export async function enableSidecarRemoteControl(
  agent: QuasarAgent,
  resolved: ResolvedSettings,
): Promise<void> {
  const {
    remoteControl,
    token,
    previousTokens,
    allowUnsigned,
    maxJobsPerCommand,
    maxScanPerCommand,
    jobsPerBatch,
    batchPauseMs,
    redactKeys,
  } = resolved.values;
  if (remoteControl === undefined) return;
  try {
    await agent.enableRemoteControl({
      queues: remoteControl,
      ...(token !== undefined ? { token } : {}),
      // Always explicit, so the sidecar's own environment is the one read.
      previousTokens: previousTokens ?? [],
      allowUnsigned,
      maxJobsPerCommand,
      // Always explicit, like the tokens: the sidecar's own settings are the ones read.
      redactKeys: redactKeys ?? [],
      maxScanPerCommand,
      jobsPerBatch,
      batchPauseMs,
    });
  } catch (error) {
    void agent.stop().catch(() => undefined);
    const key =
      error instanceof QuasarConfigError && error.option === 'previousTokens'
        ? 'previousTokens'
        : error instanceof QuasarConfigError && error.option === 'redactKeys'
          ? 'redactKeys'
          : 'remoteControl';
    return mapped(error, resolved, key);
  }
}

/**
 * Builds the agent and registers the queues and checks.
 * @throws SidecarConfigError when the agent rejects an option, a queue or a check.
 */
export function buildAgent(resolved: ResolvedSettings, logger: QuasarLogger): QuasarAgent {
  const { values } = resolved;
  let agent: QuasarAgent;
  try {
    agent = new QuasarAgent(agentOptions(values, logger));
  } catch (error) {
    return mapped(error, resolved);
  }
  let key: SettingKey = 'queues';
  try {
    for (const q of values.queues) agent.monitorQueue(q.name, q.type, q.options);
    key = 'checks';
    // parse-checks checked the shape; monitorCheck() validates every option by name.
    for (const c of values.checks) agent.monitorCheck(c.name, c.options as unknown as CheckOptions);
  } catch (error) {
    // Release what the probes already registered hold (an SQS client…); nothing was started.
    void agent.stop().catch(() => undefined);
    return mapped(error, resolved, key);
  }
  return agent;
}
