import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CheckId } from '../health/check.js';
import type { HealthMetrics } from '../health/scheduled-check.js';

/**
 * One data point per check per run, dimension `Check` (one of the six ids): 1 when it failed,
 * 0 when it passed, so a missing point means the health check itself did not run.
 */
export const HEALTH_CHECK_FAILED = { name: 'HealthCheckFailed', unit: MetricUnit.Count } as const;

/** Namespace when POWERTOOLS_METRICS_NAMESPACE is unset; the template sets one per stack. */
const DEFAULT_NAMESPACE = 'RootMonitor';

/**
 * Health metrics in CloudWatch's embedded metric format: JSON lines on standard output, which
 * Lambda sends to the log group and CloudWatch turns into metrics, with no AWS call. Each check's
 * point is a line of its own, since its dimension is its own.
 */
export class HealthEmfMetrics implements HealthMetrics {
  readonly #metrics: Metrics;

  constructor(metrics?: Metrics) {
    this.#metrics =
      metrics ??
      new Metrics({
        namespace: process.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || DEFAULT_NAMESPACE,
        serviceName: process.env.POWERTOOLS_SERVICE_NAME?.trim() || 'root-monitor',
      });
  }

  checked(id: CheckId, ok: boolean): void {
    const point = this.#metrics.singleMetric();
    point.addDimension('Check', id);
    point.addMetric(HEALTH_CHECK_FAILED.name, HEALTH_CHECK_FAILED.unit, ok ? 0 : 1);
  }
}
