/**
 * How many audit entries the command rate limit lets one collector process write within the
 * audit retention. Under every configuration a single credential can issue commands (the write
 * token when one is set, else the API token), so this is the most a flood can add per replica.
 */
import type { CollectorConfig } from './options';

/** The settings the budget depends on. */
export type AuditBudgetSettings = Pick<
  CollectorConfig,
  'auditRetentionMs' | 'commandRatePerMinute' | 'commandBurst'
>;

/** Most audit entries one process can write within the retention: a full burst, then the rate. */
export function auditEntriesWithinRetention(settings: AuditBudgetSettings): number {
  const minutes = settings.auditRetentionMs / 60_000;
  return Math.ceil(minutes * settings.commandRatePerMinute) + settings.commandBurst;
}

/**
 * Whether `auditMaxLength` could trim entries younger than the retention: true when a flood
 * within the rate limit, from `replicas` processes, can outgrow the backstop.
 */
export function backstopReachable(
  settings: AuditBudgetSettings & Pick<CollectorConfig, 'auditMaxLength'>,
  replicas = 1,
): boolean {
  return auditEntriesWithinRetention(settings) * replicas > settings.auditMaxLength;
}
