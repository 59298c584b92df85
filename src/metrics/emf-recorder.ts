import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ActiveConfig } from '../config-watch/active-config.js';
import { describeError } from '../errors.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { InputShape, MonitorFunction } from '../intake/trigger-input.js';
import type { MetricsRecorder, PipelineLogger } from '../pipeline/ports.js';
import type { EventResult } from '../pipeline/results.js';
import { DEFAULT_METRICS_NAMESPACE, METRICS, type MetricDefinition } from './metric-definitions.js';

/** An account id as CloudTrail writes it; anything else would be a dimension value at will. */
const ACCOUNT_ID = /^\d{12}$/;

const accountDimension = (accountId: string): string =>
  ACCOUNT_ID.test(accountId) ? accountId : 'Unknown';

/**
 * Metrics in CloudWatch's embedded metric format: JSON lines on standard output, which Lambda
 * sends to the function's log group and CloudWatch turns into metrics. No AWS call is made.
 * Each data point is its own line (Powertools' single metric), since its dimensions are its own.
 */
export class EmfRecorder implements MetricsRecorder {
  #metrics: Metrics | undefined;
  readonly #logger: PipelineLogger;

  constructor(logger: PipelineLogger, metrics?: Metrics) {
    this.#logger = logger;
    this.#metrics = metrics;
  }

  /**
   * Made at the first data point, not at init: a cold start's first alert goes out before any
   * metric is written, and need not wait for this.
   */
  get #points(): Metrics {
    // As for the logger: the environment wins, the constant is only a fallback.
    this.#metrics ??= new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE,
      serviceName: process.env.POWERTOOLS_SERVICE_NAME?.trim() || 'root-monitor',
    });
    return this.#metrics;
  }

  eventJudged(event: TrailEvent, result: EventResult, at: Date): void {
    this.#publish(METRICS.eventsJudged, 1, (point) => {
      point.addDimension('Decision', result.decision);
      if (result.decision === 'ignored') return;
      const [rule] = result.ruleIds;
      if (rule !== undefined) point.addDimensions({ Rule: rule, Severity: result.severity });
      point.addDimensions({ Account: accountDimension(event.accountId) });
    });
    if (result.decision !== 'alert' || event.eventTime === undefined) return;
    const seconds = (at.getTime() - event.eventTime.getTime()) / 1000;
    // A future eventTime is a misdated event, not a fast alert.
    if (seconds >= 0) this.#publish(METRICS.detectionLatency, seconds);
  }

  configInForce(active: ActiveConfig, at: Date): void {
    if (active.readAt !== undefined) {
      this.#publish(METRICS.configAge, Math.max(0, (at.getTime() - active.readAt) / 1000));
    }
    const { trouble } = active;
    if (trouble !== undefined) {
      this.#publish(METRICS.configFailedClosed, 1, (point) => {
        point.addDimension('Reason', trouble.kind);
        point.addDimensions({});
      });
    }
  }

  unexpectedInput(fn: MonitorFunction, shape: InputShape): void {
    this.#publish(METRICS.unexpectedInput, 1, (point) => {
      point.addDimension('Function', fn);
      point.addDimension('Shape', shape);
      point.addDimensions({});
    });
  }

  untrustedWindow(): void {
    this.#publish(METRICS.untrustedDedupWindow, 1);
  }

  /** One data point on its own line; a failure to write it is logged, never thrown. */
  #publish(metric: MetricDefinition, value: number, dimensions?: (point: Metrics) => void): void {
    try {
      const point = this.#points.singleMetric();
      dimensions?.(point);
      point.addMetric(metric.name, metric.unit, value);
    } catch (error) {
      this.#logger.warn('Metric not written', { metric: metric.name, error: describeError(error) });
    }
  }
}
