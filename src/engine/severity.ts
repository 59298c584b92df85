/** Severities, most severe first. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Negative when `a` is more severe than `b`, so `sort(bySeverity)` puts the worst first. */
export const bySeverity = (a: Severity, b: Severity): number =>
  SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
