/**
 * What every demo service shares: its agent (pointed at `REDIS_URL`, exporting its own metrics
 * over OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set), one-line logs, and a clean stop.
 */
import { QuasarAgent, type QuasarLogger } from '@gravito/quasar';
import { env } from './env';

/** Logs as `[service] message`, warnings and errors only unless `DEMO_VERBOSE` is set. */
export function logger(service: string): QuasarLogger {
  const line = (level: string) => (message: string) =>
    process.stderr.write(`[${service}] ${level}: ${message}\n`);
  const quiet = () => undefined;
  const verbose = process.env.DEMO_VERBOSE === '1';
  return {
    debug: verbose ? line('debug') : quiet,
    info: verbose ? line('info') : quiet,
    warn: line('warn'),
    error: line('error'),
  };
}

/** The service's agent: a beat every 2 s, so the demo moves. */
export function demoAgent(service: string, name: string): QuasarAgent {
  return new QuasarAgent({
    service,
    name,
    interval: 2000,
    logger: logger(service),
    transport: { url: env('REDIS_URL', 'redis://127.0.0.1:6379') },
    otel: { exportOtlp: Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT) },
  });
}

/** Runs `stop` once on SIGINT or SIGTERM, then exits 0. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A random integer in [min, max]. */
export const between = (min: number, max: number) =>
  min + Math.floor(Math.random() * (max - min + 1));
