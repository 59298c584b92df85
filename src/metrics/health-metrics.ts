import { Metrics } from '@aws-lambda-powertools/metrics';
import type { CheckId } from '../health/check.js';
import type { HealthMetrics } from '../health/scheduled-check.js';
import { DEFAULT_METRICS_NAMESPACE, METRICS } from './metric-definitions.js';

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
        namespace: process.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE,
        serviceName: process.env.POWERTOOLS_SERVICE_NAME?.trim() || 'root-monitor',
      });
  }

  checked(id: CheckId, ok: boolean): void {
    const point = this.#metrics.singleMetric();
    point.addDimension('Check', id);
    const { name, unit } = METRICS.healthCheckFailed;
    // 1 failing, 0 passing: a check with no point at all did not run.
    point.addMetric(name, unit, ok ? 0 : 1);
  }

  ran(): void {
    const point = this.#metrics.singleMetric();
    const { name, unit } = METRICS.healthCheckRun;
    point.addMetric(name, unit, 1);
  }
}
