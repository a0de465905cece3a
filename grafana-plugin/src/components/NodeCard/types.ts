/** Options the card shares with the panel that configures it. */

/** Usage levels in percent: at or above `warning` the bar turns to the theme's warning colour. */
export interface UsageThresholds {
  warning: number;
  critical: number;
}

/** The defaults when the panel options set none. */
export const DEFAULT_THRESHOLDS: UsageThresholds = { warning: 70, critical: 90 };

/** Days left on a certificate under which a check shows a warning. */
export const DEFAULT_CERT_WARNING_DAYS = 14;

/** How a usage figure compares with the thresholds. */
export type UsageLevel = 'ok' | 'warning' | 'critical';

/** The level of `percent` against `thresholds`; unknown reads as `ok`. */
export function usageLevel(percent: number | null, thresholds: UsageThresholds): UsageLevel {
  if (percent === null) {
    return 'ok';
  }
  if (percent >= thresholds.critical) {
    return 'critical';
  }
  return percent >= thresholds.warning ? 'warning' : 'ok';
}
