import type { AlertNotice } from '../alert/notice.js';
import { snsMessageFor } from '../alert/sns-message.js';
import { alertFields } from '../alert/summary.js';
import type { ClaimOutcome, DedupStore } from '../dedup/claim.js';
import { claimFor } from '../dedup/claim-for.js';
import { decide } from '../engine/decide.js';
import type { Alert } from '../engine/decision.js';
import { rootUsage } from '../engine/root-usage.js';
import type { MonitorResources } from '../engine/rule.js';
import { InputError } from '../intake/input-error.js';
import { eventsFrom } from '../intake/shapes.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { ConfigInForce } from './active-config.js';
import type { ConfigAlarm } from './config-alarm.js';
import type { AlertSink, PipelineLogger } from './ports.js';
import type { EventResult, InvocationResult } from './results.js';

/** The stable log message a CloudWatch metric filter counts: a second path to the pager. */
export const ALERT_LOG_MESSAGE = 'ROOT_ACCOUNT_USAGE';

/** Takes a forensic snapshot after a critical alert; never rejects. */
export interface SnapshotTaker {
  takeSnapshot(
    event: TrailEvent,
    alert: Readonly<Record<string, unknown>>,
  ): Promise<{ written: boolean; key: string; error?: Error; gaps: readonly string[] }>;
}

export interface MonitorParts {
  topicArn: string;
  monitor: MonitorResources;
  config: ConfigInForce;
  configAlarm: ConfigAlarm;
  store: DedupStore;
  sink: AlertSink;
  forensics: SnapshotTaker | undefined;
  logger: PipelineLogger;
  clock?: () => Date;
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * The Lambda's work for one invocation: read the event, decide, claim, log, publish. Every
 * branch that could lose an alert errs towards sending it: a dedup table that cannot answer
 * means alert unclaimed; a failed publish releases the claim and throws, so the Lambda retry
 * and its on-failure destination still have the alert.
 */
export class Monitor {
  readonly #parts: MonitorParts;
  readonly #clock: () => Date;

  constructor(parts: MonitorParts) {
    this.#parts = parts;
    this.#clock = parts.clock ?? (() => new Date());
  }

  async handle(input: unknown): Promise<InvocationResult> {
    let events: TrailEvent[];
    try {
      events = eventsFrom(input, 'event');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.#parts.logger.error('Unreadable event', { error: error.message });
      return { decision: 'unreadable', error: error.message };
    }
    const now = this.#clock();
    const results: EventResult[] = [];
    // Configuration is read only when there is root usage to judge.
    const active = events.some((event) => rootUsage(event).root)
      ? await this.#parts.config.current()
      : undefined;
    for (const event of events) {
      results.push(await this.#handleEvent(event, active?.config, now));
    }
    if (active?.trouble !== undefined) await this.#parts.configAlarm.raise(active.trouble, now);
    const [only] = results;
    return results.length === 1 && only !== undefined ? only : { decision: 'batch', results };
  }

  async #handleEvent(
    event: TrailEvent,
    config: Parameters<typeof decide>[1] | undefined,
    now: Date,
  ): Promise<EventResult> {
    const { logger } = this.#parts;
    if (config === undefined) {
      const usage = rootUsage(event);
      return {
        decision: 'ignored',
        eventId: event.eventId,
        reason: usage.root ? '' : usage.reason,
      };
    }
    const decision = decide(event, config, { monitor: this.#parts.monitor }, now);
    switch (decision.kind) {
      case 'ignored':
        logger.debug('Not root usage', { eventId: event.eventId, reason: decision.reason });
        return { decision: 'ignored', eventId: event.eventId, reason: decision.reason };
      case 'allowlisted': {
        const ruleIds = decision.matches.map((match) => match.rule.id);
        logger.info('Root usage allowlisted', {
          eventId: event.eventId,
          allowlistEntry: decision.allowlistEntry,
          ruleIds,
        });
        return {
          decision: 'allowlisted',
          eventId: event.eventId,
          severity: decision.severity,
          ruleIds,
          allowlistEntry: decision.allowlistEntry,
        };
      }
      case 'alert':
        return this.#alert(decision, now);
    }
  }

  async #alert(alert: Alert, now: Date): Promise<EventResult> {
    const { logger, store, sink, topicArn } = this.#parts;
    const ruleIds = alert.matches.map((match) => match.rule.id);
    const claim = claimFor(alert, now);
    let outcome: ClaimOutcome | undefined;
    try {
      outcome = await store.claim(claim);
    } catch (error) {
      logger.error('Dedup table unavailable; alerting without a claim', {
        error: describe(error),
        dedupKey: alert.dedupKey,
      });
    }
    if (outcome?.kind === 'duplicate') {
      logger.info('Duplicate root usage suppressed', {
        eventId: alert.event.eventId,
        dedupKey: alert.dedupKey,
        redelivery: outcome.redelivery,
      });
      return {
        decision: 'duplicate',
        eventId: alert.event.eventId,
        severity: alert.severity,
        ruleIds,
        dedupKey: alert.dedupKey,
        redelivery: outcome.redelivery,
      };
    }
    const notice: AlertNotice = { alert, suppressedBefore: outcome?.suppressedBefore ?? 0 };
    const fields = alertFields(notice);
    logger.critical(ALERT_LOG_MESSAGE, { ...fields });
    let messageId: string | undefined;
    try {
      messageId = await sink.publish(snsMessageFor(notice, topicArn));
    } catch (error) {
      if (outcome !== undefined) {
        await store.release(claim).catch((releaseError: unknown) =>
          // The retry will look like a redelivery and be acknowledged without an alert; the
          // ROOT_ACCOUNT_USAGE line above and its metric-filter alarm are what remain.
          logger.error('Alert not published and its dedup claim not released', {
            error: describe(releaseError),
            dedupKey: alert.dedupKey,
          }),
        );
      }
      logger.error('Alert not published; failing the invocation so it is retried', {
        error: describe(error),
        eventId: alert.event.eventId,
      });
      throw error;
    }
    if (this.#parts.forensics !== undefined && alert.severity === 'CRITICAL') {
      const snapshot = await this.#parts.forensics.takeSnapshot(alert.event, { ...fields });
      if (snapshot.written) logger.info('Forensic snapshot written', { key: snapshot.key });
      else
        logger.error('Forensic snapshot failed', {
          key: snapshot.key,
          error: describe(snapshot.error),
        });
    }
    return {
      decision: 'alert',
      eventId: alert.event.eventId,
      severity: alert.severity,
      ruleIds,
      messageId,
      suppressedBefore: notice.suppressedBefore,
      claimed: outcome !== undefined,
    };
  }
}
