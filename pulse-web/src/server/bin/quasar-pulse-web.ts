#!/usr/bin/env node
/**
 * `quasar-pulse-web`: the Pulse page outside Grafana. Configured by environment variables:
 * QUASAR_COLLECTOR_URL, QUASAR_API_TOKEN and QUASAR_API_WRITE_TOKEN (optional), QUASAR_ROLE (Viewer|Editor|Admin),
 * QUASAR_THEME (dark|light), HOST, PORT.
 */
import { PulseWebConfigError } from '../errors';
import type { OrgRole, ThemeMode } from '../options';
import { startPulseWeb } from '../server';

/** The variable that sets each option, for error messages. */
const VARIABLES: Record<string, string> = {
  collectorUrl: 'QUASAR_COLLECTOR_URL',
  apiToken: 'QUASAR_API_TOKEN',
  apiWriteToken: 'QUASAR_API_WRITE_TOKEN',
  role: 'QUASAR_ROLE',
  theme: 'QUASAR_THEME',
  host: 'HOST',
  port: 'PORT',
};

async function main(): Promise<void> {
  const env = process.env;
  const server = await startPulseWeb({
    collectorUrl: env.QUASAR_COLLECTOR_URL ?? '',
    ...(env.QUASAR_API_TOKEN ? { apiToken: env.QUASAR_API_TOKEN } : {}),
    ...(env.QUASAR_API_WRITE_TOKEN ? { apiWriteToken: env.QUASAR_API_WRITE_TOKEN } : {}),
    ...(env.QUASAR_ROLE ? { role: env.QUASAR_ROLE as OrgRole } : {}),
    ...(env.QUASAR_THEME ? { theme: env.QUASAR_THEME as ThemeMode } : {}),
    ...(env.HOST ? { host: env.HOST } : {}),
    ...(env.PORT ? { port: Number(env.PORT) } : {}),
  });
  process.stdout.write(`Quasar Pulse page on ${server.appUrl} (role ${server.config.role})\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const variable = error instanceof PulseWebConfigError ? VARIABLES[error.option] : undefined;
  process.stderr.write(`quasar-pulse-web: ${variable ? `${variable} (${message})` : message}\n`);
  process.exit(error instanceof PulseWebConfigError ? 2 : 1);
});
