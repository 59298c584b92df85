import { RootMonitorError } from '../errors.js';
import type { Invocation, PipelineLogger } from '../pipeline/ports.js';
import type { UnexpectedInputResult } from '../pipeline/results.js';
import {
  runScheduled,
  type UnexpectedInputAlarm,
} from '../unexpected-input/unexpected-input-alarm.js';
import type { Check, CheckId } from './check.js';
import type { Announcement, HealthAlarm } from './health-alarm.js';
import { runChecks } from './run-checks.js';

/** Where each check's outcome is counted: CloudWatch metrics in the Lambda. */
export interface HealthMetrics {
  checked(id: CheckId, ok: boolean): void;
  /** The run has run its checks: the heartbeat whose silence the stack's alarm hears. */
  ran(): void;
}

/** Some failing check's alert could not be sent; the Lambda's retry runs the checks again. */
export class HealthAlertNotSentError extends RootMonitorError {
  override name = 'HealthAlertNotSentError';
}

export interface ScheduledCheckResult {
  checks: { id: CheckId; ok: boolean; alert?: Announcement }[];
}

/** How long an unexpected-input alarm's claim is held without a Lambda context to bound it. */
const ALARM_LEASE_MS = 10 * 60 * 1000;

/**
 * One scheduled run: every check, a metric for each, and an alert for each failing one (at most
 * one a day per check). Each result is logged, so the log shows the last verdicts too.
 */
export class ScheduledCheck {
  readonly #checks: readonly Check[];
  readonly #alarm: HealthAlarm;
  readonly #metrics: HealthMetrics;
  readonly #logger: PipelineLogger;
  readonly #unexpectedInput: UnexpectedInputAlarm | undefined;

  constructor(
    checks: readonly Check[],
    alarm: HealthAlarm,
    metrics: HealthMetrics,
    logger: PipelineLogger,
    /** Tells the alarm topic when the function is given anything but its schedule's event. */
    unexpectedInput?: UnexpectedInputAlarm,
  ) {
    this.#checks = checks;
    this.#alarm = alarm;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#unexpectedInput = unexpectedInput;
  }

  /**
   * One invocation by the schedule: the run. Given anything but EventBridge's Scheduled Event,
   * the checks still run, and the unexpected-input alarm goes out beside them.
   *
   * @throws HealthAlertNotSentError when a failing check could not be announced, or the
   *   unexpected-input alarm could not be sent
   */
  async handle(
    input: unknown,
    invocation?: Invocation,
  ): Promise<ScheduledCheckResult | UnexpectedInputResult<ScheduledCheckResult>> {
    const now = new Date();
    if (this.#unexpectedInput === undefined) return this.run(now);
    return runScheduled(input, {
      run: () => this.run(now),
      alarm: this.#unexpectedInput,
      now,
      leaseUntil: now.getTime() + (invocation?.getRemainingTimeInMillis() ?? ALARM_LEASE_MS),
    });
  }

  /** @throws HealthAlertNotSentError when a failing check could not be announced */
  async run(now: Date = new Date()): Promise<ScheduledCheckResult> {
    const results = await runChecks(this.#checks, now);
    // Before the alerts: a run whose alert cannot be sent still ran (its errors alarm says the
    // rest), while a run that never gets here is silence the heartbeat alarm hears.
    this.#metrics.ran();
    const checks: ScheduledCheckResult['checks'] = [];
    for (const result of results) {
      this.#metrics.checked(result.id, result.ok);
      if (result.ok) {
        this.#logger.info('Health check passed', { check: result.id, verdict: result.verdict });
        checks.push({ id: result.id, ok: true });
        continue;
      }
      this.#logger.error('Health check failed', {
        check: result.id,
        verdict: result.verdict,
        fix: result.fix,
      });
      checks.push({ id: result.id, ok: false, alert: await this.#alarm.raise(result, now) });
    }
    const unsent = checks.filter(({ alert }) => alert === 'not-sent').map(({ id }) => id);
    if (unsent.length > 0) {
      throw new HealthAlertNotSentError(`Health alert not sent for ${unsent.join(', ')}`);
    }
    return { checks };
  }
}
