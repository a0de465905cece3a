/**
 * How many audit entries the command rate limit lets one collector process write within the
 * audit retention. Each token that may issue commands has its own bucket (the write token when
 * one is set, else the API token, and each named token with a command scope), so a flood from
 * every one of them at once is the most a replica can add.
 */
import type { CollectorConfig } from './options';

/** The settings the budget depends on. */
export type AuditBudgetSettings = Pick<
  CollectorConfig,
  'auditRetentionMs' | 'commandRatePerMinute' | 'commandBurst'
>;

/**
 * Most audit entries one process can write within the retention: a full burst, then the rate,
 * from each of `tokens` tokens that may issue commands.
 */
export function auditEntriesWithinRetention(settings: AuditBudgetSettings, tokens = 1): number {
  const minutes = settings.auditRetentionMs / 60_000;
  return (Math.ceil(minutes * settings.commandRatePerMinute) + settings.commandBurst) * tokens;
}

/**
 * Whether `auditMaxLength` could trim entries younger than the retention: true when a flood
 * within the rate limit, from `tokens` tokens on `replicas` processes, can outgrow the backstop.
 */
export function backstopReachable(
  settings: AuditBudgetSettings & Pick<CollectorConfig, 'auditMaxLength'>,
  replicas = 1,
  tokens = 1,
): boolean {
  return auditEntriesWithinRetention(settings, tokens) * replicas > settings.auditMaxLength;
}
