/**
 * `runSidecar()`: the `quasar-agent` daemon from command line to exit status. It resolves the
 * settings, builds the agent, starts it, and on the first SIGTERM or SIGINT stops it (which
 * removes its heartbeat) and returns 0. The process itself (`process.*`) is only touched by
 * the bin, through `SidecarIO`, so tests can run the daemon in-process.
 */
import type { QuasarAgent, StartResult } from '../agent/quasar-agent';
import type { QuasarLogger } from '../options/types';
import { SDK_VERSION } from '../version';
import { aclText } from './acl/acl-text';
import { buildAgent, enableSidecarRemoteControl } from './build-agent';
import type { ReadText } from './config-file';
import { SidecarConfigError } from './errors';
import { helpText } from './help';
import { parseArgv } from './parse-argv';
import { resolveSettings } from './resolve-settings';
import type { Env, ResolvedSettings } from './resolve-settings';
import type { SidecarSettings } from './settings';
import { stderrLogger } from './stderr-logger';
import { redactUrl } from './values';

/** Exit statuses. */
export const EXIT = {
  ok: 0,
  /** A second stop signal ended the process before the agent had stopped. */
  forced: 1,
  /** An invalid flag, variable or config file. */
  config: 2,
} as const;

/** What the daemon needs from its process. */
export interface SidecarIO {
  /** Writes to stdout: only `--help`, `--version` and `acl` do. */
  stdout(text: string): void;
  /** Writes to stderr: logs and errors. */
  stderr(text: string): void;
  /** Calls `listener` on each stop signal (SIGTERM, SIGINT); returns the unsubscriber. */
  onSignal(listener: (signal: string) => void): () => void;
  /** Reads the config file. @default `fs.readFileSync(path, 'utf8')` */
  readFile?: ReadText;
}

/** A timer far in the future: it only holds the event loop open. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;

function startedLine(settings: SidecarSettings, result: StartResult): string {
  const watched = [
    `${settings.queues.length} queue(s)`,
    `${settings.checks.length} check(s)`,
    ...(settings.laravelWorkers ? ['Laravel workers'] : []),
  ];
  const state = result.connected ? 'connected' : 'not connected yet, retrying every beat';
  return (
    `node ${result.nodeId} of service ${settings.service} started: heartbeat every ` +
    `${settings.interval}s to ${redactUrl(settings.transport)} (${state}); watching ${watched.join(', ')}`
  );
}

/** Runs the started agent until a stop signal, then stops it. */
async function runUntilSignal(
  agent: QuasarAgent,
  settings: SidecarSettings,
  logger: QuasarLogger,
  io: SidecarIO,
): Promise<number> {
  let requestStop: (signal: string) => void = () => undefined;
  let force: () => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => (requestStop = resolve));
  const forced = new Promise<number>((resolve) => (force = () => resolve(EXIT.forced)));
  let signals = 0;
  const unsubscribe = io.onSignal((signal) => {
    signals += 1;
    if (signals === 1) return requestStop(signal);
    logger.warn(`${signal} again: exiting before the agent has stopped`);
    force();
  });
  // The agent unrefs its timers so that it never holds an application open; a daemon must stay.
  const keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS);
  try {
    // start() never rejects (an unreachable Redis is reported and retried); the catch is a guard.
    void agent.start().then(
      (result) => {
        if (signals === 0) logger.info(startedLine(settings, result));
      },
      (error: unknown) => logger.error(`start failed: ${String(error)}`),
    );
    const signal = await stopRequested;
    logger.info(`${signal}: stopping node ${agent.getNodeId()}`);
    const code = await Promise.race([agent.stop().then(() => EXIT.ok), forced]);
    if (code === EXIT.ok) logger.info(`stopped; heartbeat of ${agent.getNodeId()} removed`);
    return code;
  } finally {
    clearInterval(keepAlive);
    unsubscribe();
  }
}

/**
 * Runs the sidecar. Resolves with the exit status: at once for `--help`, `--version`, `acl` (0)
 * and invalid settings (2, with one line on stderr naming the setting); otherwise once a stop
 * signal has stopped the agent (0).
 * @param argv the arguments after the script path.
 */
export async function runSidecar(
  argv: readonly string[],
  env: Env,
  io: SidecarIO,
): Promise<number> {
  let resolved: ResolvedSettings;
  let logger: QuasarLogger;
  let agent: QuasarAgent;
  try {
    const line = parseArgv(argv);
    if (line.help) {
      io.stdout(helpText());
      return EXIT.ok;
    }
    if (line.version) {
      io.stdout(`quasar-agent ${SDK_VERSION}\n`);
      return EXIT.ok;
    }
    resolved = resolveSettings(line, env, io.readFile);
    logger = stderrLogger((text) => io.stderr(text), resolved.values.logLevel);
    for (const warning of resolved.warnings) logger.warn(warning);
    if (line.command === 'acl') {
      io.stdout(aclText(resolved.values));
      return EXIT.ok;
    }
    agent = buildAgent(resolved, logger);
    await enableSidecarRemoteControl(agent, resolved);
  } catch (error) {
    if (!(error instanceof SidecarConfigError)) throw error;
    io.stderr(`quasar-agent: ${error.message}\n`);
    return EXIT.config;
  }
  return runUntilSignal(agent, resolved.values, logger, io);
}
