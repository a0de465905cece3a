#!/usr/bin/env node
/**
 * `quasar-pulse-web`: the Pulse page outside Grafana. Configured by environment variables:
 * QUASAR_COLLECTOR_URL, QUASAR_API_TOKEN and QUASAR_API_WRITE_TOKEN (optional), QUASAR_ROLE
 * (Viewer|Editor|Admin), QUASAR_USER, QUASAR_SIGN_IN_TOKEN, QUASAR_ALLOWED_HOSTS (comma list),
 * QUASAR_THEME (dark|light), QUASAR_APP_READ_ONLY (true: the app's read-only mode), HOST, PORT.
 * Above Viewer it prints the sign-in URL.
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
  user: 'QUASAR_USER',
  signInToken: 'QUASAR_SIGN_IN_TOKEN',
  allowedHosts: 'QUASAR_ALLOWED_HOSTS',
  theme: 'QUASAR_THEME',
  readOnly: 'QUASAR_APP_READ_ONLY',
  host: 'HOST',
  port: 'PORT',
};

/** A comma list, blanks dropped. */
const list = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

async function main(): Promise<void> {
  const env = process.env;
  const server = await startPulseWeb({
    collectorUrl: env.QUASAR_COLLECTOR_URL ?? '',
    ...(env.QUASAR_API_TOKEN ? { apiToken: env.QUASAR_API_TOKEN } : {}),
    ...(env.QUASAR_API_WRITE_TOKEN ? { apiWriteToken: env.QUASAR_API_WRITE_TOKEN } : {}),
    ...(env.QUASAR_ROLE ? { role: env.QUASAR_ROLE as OrgRole } : {}),
    ...(env.QUASAR_USER ? { user: env.QUASAR_USER } : {}),
    ...(env.QUASAR_SIGN_IN_TOKEN ? { signInToken: env.QUASAR_SIGN_IN_TOKEN } : {}),
    ...(env.QUASAR_ALLOWED_HOSTS ? { allowedHosts: list(env.QUASAR_ALLOWED_HOSTS) } : {}),
    ...(env.QUASAR_THEME ? { theme: env.QUASAR_THEME as ThemeMode } : {}),
    ...(env.QUASAR_APP_READ_ONLY ? { readOnly: env.QUASAR_APP_READ_ONLY === 'true' } : {}),
    ...(env.HOST ? { host: env.HOST } : {}),
    ...(env.PORT ? { port: Number(env.PORT) } : {}),
  });
  const { role } = server.config;
  process.stdout.write(`Quasar Pulse page on ${server.appUrl} (role ${role})\n`);
  if (server.signInUrl) {
    // A token given by the environment is the caller's already, and is never printed.
    const signIn = env.QUASAR_SIGN_IN_TOKEN
      ? `${server.url}/?token=<QUASAR_SIGN_IN_TOKEN>`
      : server.signInUrl;
    process.stdout.write(
      `Sign in as ${role}: ${signIn}\n(without it the page is read-only, as for a Viewer)\n`,
    );
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const variable =
    error instanceof PulseWebConfigError && Object.hasOwn(VARIABLES, error.option)
      ? VARIABLES[error.option]
      : undefined;
  process.stderr.write(`quasar-pulse-web: ${variable ? `${variable} (${message})` : message}\n`);
  process.exit(error instanceof PulseWebConfigError ? 2 : 1);
});
