import { alertFields } from '../alert/alert-fields.js';
import type { AlertNotice, TrailFileDelivery } from '../alert/alert-notice.js';
import { alertEventFor } from '../alert/bus-event.js';
import { plainAlertFor } from '../alert/plain-alert.js';
import type { SnsPublishRequest } from '../alert/render/sns-request.js';
import { rootUsageMessageFor } from '../alert/root-usage-message.js';
import { shown } from '../alert/text/escape.js';
import type { Config } from '../config/config.js';
import { defaultConfigFor } from '../config/default-config.js';
import type { ConfigTrouble } from '../config-watch/active-config.js';
import type { ConfigAlarm } from '../config-watch/config-alarm.js';
import { configChangeOf, ownAccountOf } from '../config-watch/config-change-event.js';
import type { ConfigInForce } from '../config-watch/config-in-force.js';
import type {
  ClaimOutcome,
  ClaimRequest,
  DedupStore,
  UntrustedWindow,
} from '../dedup/dedup-store.js';
import { rootUsage } from '../engine/root-usage.js';
import type { MonitorResources, Rule } from '../engine/rule.js';
import { describeError } from '../errors.js';
import type { FirstSeen, Sighting, SourceMemory } from '../first-seen/first-seen.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { SessionJoiner } from '../root-sessions/session-joiner.js';
import type { RootSessionStore } from '../root-sessions/session-store.js';
import { sessionLogFields } from '../root-sessions/session-text.js';
import { decideAndClaim, type Judged } from './decide-and-claim.js';
import { DeliveryJudge, type DeliveryJudgeParts } from './judge-delivery.js';
import {
  type AlertSink,
  type EventSink,
  type FindingSink,
  type Invocation,
  type MetricsRecorder,
  NO_METRICS,
} from './ports.js';
import type { EventResult } from './results.js';
import { putSentOnBus, renderedOrPlain, type SentMessage } from './sent-message.js';
import { ClaimInFlightError, settleClaim } from './settle-claim.js';

/** The stable log message a CloudWatch metric filter counts: a second path to the pager. */
const ALERT_LOG_MESSAGE = 'ROOT_ACCOUNT_USAGE';

/** Root alerts as published and put on the event bus. */
const ROOT_ALERTS: SentMessage<AlertNotice> = {
  render: rootUsageMessageFor,
  plain: plainAlertFor,
  eventOf: alertEventFor,
  idOf: (notice) => notice.alert.event.eventId,
  idField: 'eventId',
  logs: {
    unrendered: 'Alert could not be rendered; publishing it plainly',
    refused: 'EventBridge refused an alert event; the alert was sent',
    failed: 'Alerts not put on the event bus; the alerts were sent',
  },
};

/** The stable log message of a dedup window that no claim could have written (see `judge`). */
export const UNTRUSTED_WINDOW_LOG_MESSAGE = 'UNTRUSTED_DEDUP_WINDOW';

/** Takes a forensic snapshot after a critical alert; never rejects. */
export interface SnapshotTaker {
  takeSnapshot(
    event: TrailEvent,
    alert: Readonly<Record<string, unknown>>,
  ): Promise<{ written: boolean; key: string; error?: Error; gaps: readonly string[] }>;
}

export interface MonitorParts extends DeliveryJudgeParts {
  /** The rules, in priority order. */
  catalog: readonly Rule[];
  topicArn: string;
  /**
   * The alarm topic: alerts whose rule says so (changes to an alert path) go there too, since
   * the change may be the one that silences the alert topic.
   */
  alarmTopicArn?: string | undefined;
  monitor: MonitorResources;
  config: ConfigInForce;
  configAlarm: ConfigAlarm;
  store: DedupStore;
  /**
   * Where root sessions opened by sts:AssumeRoot are remembered and looked up (the dedup table in
   * the Lambda); without it, only the sessions an invocation's own events open are joined.
   */
  sessions?: RootSessionStore | undefined;
  /**
   * Where the sources root used are remembered (the dedup table in the Lambda): an alert from a
   * source root had not used says so. Without it no alert is marked.
   */
  sources?: SourceMemory | undefined;
  sink: AlertSink;
  forensics: SnapshotTaker | undefined;
  /** Security Hub, when alerts are also filed there as findings. */
  findings?: FindingSink | undefined;
  /** The event bus, when alerts are also put there as events (on by default in the Lambda). */
  events?: EventSink | undefined;
  /** Told what each invocation did; by default nothing is recorded. */
  metrics?: MetricsRecorder;
}

/** What every event of one invocation is judged with. */
interface Judging {
  config: Config;
  now: Date;
  /** The end of the invocation: claims are leased until then. */
  leaseUntil: number;
  /** Set while the configuration is stale: when the allowlist in force was read. */
  configReadAt: Date | undefined;
  /** The log file the events were read from, when they did not come from EventBridge. */
  trailFile: { file: string } | undefined;
  /** The root sessions known to this invocation, to join its events with. */
  sessions: SessionJoiner;
}

/** How late an event read from a trail file is alerted: from its own time to now. */
const lateDelivery = (event: TrailEvent, file: string, now: Date): TrailFileDelivery => ({
  file,
  lateSeconds:
    event.eventTime === undefined
      ? undefined
      : Math.max(0, Math.round((now.getTime() - event.eventTime.getTime()) / 1000)),
});

/**
 * The Lambda's work for one invocation: read the event, decide, claim, log, publish, mark the
 * claim sent. Every branch that could lose an alert errs towards sending it: a dedup table
 * that cannot answer means alert unclaimed; a failed publish releases the claim and throws, so
 * the Lambda retry and its on-failure destination still have the alert; a claim that was never
 * marked sent is only leased until the invocation ends, and a retry takes it over.
 */
export class Monitor extends DeliveryJudge {
  readonly #parts: MonitorParts;
  readonly #metrics: MetricsRecorder;

  constructor(parts: MonitorParts) {
    super('real-time', parts);
    this.#parts = parts;
    this.#metrics = parts.metrics ?? NO_METRICS;
  }

  /**
   * Decides, claims and alerts each event, with the same dedup keys whichever way it came: an
   * event that real-time delivery already alerted is a duplicate here. The configuration alarm
   * goes out beside the root alerts, not after them. Every event has its turn; then, if any
   * alert could not be published, this throws.
   *
   * @param invocation the Lambda context: claims are leased until the invocation ends.
   * @param trailFile the log file the events were read from, when they did not come from
   *   EventBridge; their alerts then say that real-time delivery missed them, and how late
   */
  override async handleEvents(
    events: readonly TrailEvent[],
    invocation?: Invocation,
    trailFile?: { file: string },
  ): Promise<EventResult[]> {
    const { now, leaseEnd } = this.started(invocation);
    const ownAccount = ownAccountOf(this.#parts.monitor.topicArn);
    // Root's own change to the configuration takes effect at once, for the root events of this
    // invocation too, not after maxAge. (Its announcement is the guard function's.)
    if (
      events.some(
        (event) =>
          configChangeOf(event, this.#parts.monitor.configParameter, ownAccount) !== undefined,
      )
    ) {
      this.#parts.config.forget();
    }
    // Configuration is read only when there is root usage to judge; without any, every event
    // is ignored before the configuration is consulted.
    const active = events.some((event) => rootUsage(event).root)
      ? await this.#parts.config.current(now)
      : undefined;
    const config = active?.config ?? defaultConfigFor(this.#parts.catalog);
    // While stale, every alert says when the allowlist in force was read.
    const configReadAt =
      active?.stale === true && active.readAt !== undefined ? new Date(active.readAt) : undefined;
    // Sessions the events open are known to the events beside them at once; the store's copy,
    // for later invocations, is written while the alerts go out, never before them.
    const sessions = new SessionJoiner(this.#parts.sessions, this.#parts.logger);
    const remembering = sessions.remember(events, now);
    // The root alerts and the configuration alarm use keys and messages of their own: each
    // waits on its own calls only, not on the other's.
    const [roots, alarm] = await Promise.all([
      this.#alertEach(events, {
        config,
        now,
        leaseUntil: leaseEnd,
        configReadAt,
        trailFile,
        sessions,
      }),
      this.#raiseAlarm(active?.trouble, now, leaseEnd),
      remembering,
    ]);
    const { results } = roots;
    const failures = [...roots.failures, ...alarm];
    // Counted once the alerts are out: the first metric of a cold start costs milliseconds the
    // page need not wait for.
    if (active !== undefined) this.#metrics.configInForce(active, now);
    // Findings, events and snapshots come last: every alert of the invocation is out before
    // any of them. Findings and events go side by side, so that the function's timeout counts
    // the longer of their budgets, not both.
    const { published } = roots;
    if (published.length > 0) {
      await Promise.all([
        this.#importFindings(published),
        putSentOnBus(ROOT_ALERTS, published, this.#parts),
      ]);
    }
    for (const notice of published) {
      if (notice.alert.severity === 'CRITICAL') await this.#snapshot(notice);
    }
    const [firstFailure] = failures;
    if (failures.length === 1) throw firstFailure;
    if (failures.length > 1) {
      throw new AggregateError(failures, `${failures.length} alerts could not be published`);
    }
    return results;
  }

  /**
   * Each root event in turn, in the order given: events of one batch can share a dedup key, and
   * a claim must not meet the pending claim of its own invocation. An alert that cannot be
   * published does not hold back the events after it; its error is returned with the others.
   */
  async #alertEach(
    events: readonly TrailEvent[],
    judging: Judging,
  ): Promise<{ results: EventResult[]; published: AlertNotice[]; failures: unknown[] }> {
    const results: EventResult[] = [];
    const published: AlertNotice[] = [];
    const failures: unknown[] = [];
    for (const event of events) {
      try {
        const { result, notice } = await this.#handleEvent(event, judging);
        // Read after the publish returned: an alert's detection latency ends when SNS accepted it.
        this.#metrics.eventJudged(event, result, this.timing.clock());
        results.push(result);
        if (notice !== undefined) published.push(notice);
      } catch (error) {
        failures.push(error);
      }
    }
    return { results, published, failures };
  }

  /** The configuration alarm, when the configuration in force is in trouble; its error, if any. */
  async #raiseAlarm(
    trouble: ConfigTrouble | undefined,
    now: Date,
    leaseUntil: number,
  ): Promise<unknown[]> {
    if (trouble === undefined) return [];
    try {
      await this.#parts.configAlarm.raise(trouble, now, leaseUntil);
      return [];
    } catch (error) {
      return [error];
    }
  }

  async #handleEvent(
    event: TrailEvent,
    { config, now, leaseUntil, configReadAt, trailFile, sessions }: Judging,
  ): Promise<{ result: EventResult; notice?: AlertNotice }> {
    const { logger } = this.#parts;
    const eventId = shown(event.eventId);
    const judged = await decideAndClaim(event, {
      catalog: this.#parts.catalog,
      config,
      context: { monitor: this.#parts.monitor },
      now,
      leaseUntil,
      arrival: trailFile === undefined ? 'real-time' : 'trail-file',
      claim: (claim) => this.#settle(claim),
      joinSession: (candidate) => sessions.join(candidate),
      ...(this.#parts.sources === undefined
        ? {}
        : { sighting: (sighting: Sighting) => this.#sighting(sighting) }),
    });
    switch (judged.kind) {
      case 'ignored':
        logger.debug('Not root usage', { eventId, reason: judged.reason });
        return { result: { decision: 'ignored', eventId, reason: judged.reason } };
      case 'allowlisted': {
        const ruleIds = judged.matches.map((match) => match.rule.id);
        logger.info('Root usage allowlisted', {
          eventId,
          allowlistEntry: judged.allowlistEntry,
          ruleIds,
          ...sessionLogFields(judged.rootSession, (value) => shown(value)),
        });
        return {
          result: {
            decision: 'allowlisted',
            eventId,
            severity: judged.severity,
            ruleIds,
            allowlistEntry: judged.allowlistEntry,
          },
        };
      }
      case 'in-flight':
        // Not acknowledged behind an alert that may never go out: the retry decides again.
        logger.warn('Another invocation is sending the alert for this key; failing for a retry', {
          eventId,
          dedupKey: shown(judged.alert.dedupKey),
        });
        throw new ClaimInFlightError(judged.alert.dedupKey, judged.leaseUntil);
      case 'duplicate':
        logger.info('Duplicate root usage suppressed', {
          eventId,
          dedupKey: shown(judged.alert.dedupKey),
          redelivery: judged.redelivery,
        });
        return {
          result: {
            decision: 'duplicate',
            eventId,
            severity: judged.alert.severity,
            ruleIds: judged.alert.matches.map((match) => match.rule.id),
            dedupKey: shown(judged.alert.dedupKey),
            redelivery: judged.redelivery,
          },
        };
      case 'alert':
        if (judged.replacedUntrusted !== undefined) {
          this.#untrustedWindow(judged.alert.dedupKey, judged.replacedUntrusted);
        }
        return this.#alert(
          judged,
          configReadAt,
          trailFile && lateDelivery(event, trailFile.file, now),
        );
    }
  }

  /**
   * A window no claim could have written was replaced: a forged table write or a broken clock.
   * Logged with a stable message and counted, and the stack's alarm on that count tells people.
   */
  #untrustedWindow(dedupKey: string, window: UntrustedWindow): void {
    this.#parts.logger.error(UNTRUSTED_WINDOW_LOG_MESSAGE, {
      dedupKey: shown(dedupKey),
      openerId: shown(window.openerId),
      openedAt: window.openedAt,
      closesAt: window.closesAt,
      why: 'a sent dedup window that opens in the future or closes later than any configured window was replaced by a fresh claim: it can only come from a forged write to the dedup table or a broken clock',
    });
    this.#metrics.untrustedWindow();
  }

  /** The result, and the notice when one was published. */
  async #alert(
    { alert, claim, claimed, suppressedBefore, firstSeen }: Extract<Judged, { kind: 'alert' }>,
    configReadAt: Date | undefined,
    fromTrailFile: TrailFileDelivery | undefined,
  ): Promise<{ result: EventResult; notice?: AlertNotice }> {
    const { logger, store, sink } = this.#parts;
    const ruleIds = alert.matches.map((match) => match.rule.id);
    const eventId = shown(alert.event.eventId);
    const dedupKey = shown(alert.dedupKey);
    const notice: AlertNotice = {
      alert,
      suppressedBefore,
      ...(firstSeen === undefined ? {} : { firstSeen }),
      ...(configReadAt === undefined ? {} : { configReadAt }),
      ...(fromTrailFile === undefined ? {} : { fromTrailFile }),
    };
    logger.critical(ALERT_LOG_MESSAGE, { ...alertFields(notice) });
    const request = renderedOrPlain(ROOT_ALERTS, notice, this.#parts);
    let messageId: string | undefined;
    try {
      messageId = await sink.publish(request);
    } catch (error) {
      // Released even when the claim's outcome is unknown: DynamoDB may have written it anyway,
      // and the store releases only a claim of its own.
      await store.release(claim).catch((releaseError: unknown) =>
        // The claim stays pending until its lease ends with this invocation; a retry after
        // that takes it over and alerts.
        logger.error('Alert not published and its dedup claim not released', {
          error: describeError(releaseError),
          dedupKey,
        }),
      );
      logger.error('Alert not published; failing the invocation so it is retried', {
        error: describeError(error),
        eventId,
      });
      throw error;
    }
    if (claimed) await this.#markSent(claim, messageId);
    if (alert.matches[0].rule.alsoToAlarmTopic?.(alert.event) === true) {
      await this.#alsoToAlarmTopic(request, eventId);
    }
    return {
      result: {
        decision: 'alert',
        eventId,
        severity: alert.severity,
        ruleIds,
        messageId,
        suppressedBefore: notice.suppressedBefore,
        claimed,
      },
      notice,
    };
  }

  /** The claim's outcome once settled, or undefined when the store cannot say: alert unclaimed. */
  async #settle(claim: ClaimRequest): Promise<ClaimOutcome | undefined> {
    try {
      return await settleClaim(this.#parts.store, claim, this.timing);
    } catch (error) {
      this.#parts.logger.error('Dedup table unavailable; alerting without a claim', {
        // A store's error can quote the dedup key, which holds the event's source address.
        error: shown(describeError(error)),
        dedupKey: shown(claim.key),
      });
      return undefined;
    }
  }

  /**
   * How the alert's source is marked, or undefined when it is not, or when the memory cannot
   * say: the alert goes out unmarked then, never later and never lost.
   */
  async #sighting(sighting: Sighting): Promise<FirstSeen | undefined> {
    try {
      return await this.#parts.sources?.sighting(sighting);
    } catch (error) {
      this.#parts.logger.error('First-seen lookup failed; alerting without the first-seen mark', {
        // A store's error can quote the item's key, which holds the source address.
        error: shown(describeError(error)),
        eventId: shown(sighting.eventId),
      });
      return undefined;
    }
  }

  /**
   * Marks the claim sent once SNS accepted its alert. A failure is logged, never thrown: the
   * alert is out, and a retry would send it again. The claim then stays pending until its lease
   * ends, and a redelivery or the next event for the key alerts again: a duplicate, never a loss.
   */
  async #markSent(claim: ClaimRequest, messageId: string | undefined): Promise<void> {
    const { logger, store } = this.#parts;
    const dedupKey = shown(claim.key);
    try {
      if (!(await store.markSent(claim, messageId))) {
        logger.warn('Alert sent after its claim was taken over; the key may alert twice', {
          dedupKey,
          messageId,
        });
      }
    } catch (error) {
      logger.error('Alert sent but its claim not marked sent; the key may alert twice', {
        error: describeError(error),
        dedupKey,
        messageId,
      });
    }
  }

  /**
   * A copy on the alarm topic, for an alert about an alert path. The alert topic has taken the
   * alert already, so a failure here is logged, not thrown: a retry would send it twice there.
   */
  async #alsoToAlarmTopic(request: SnsPublishRequest, eventId: string): Promise<void> {
    const { alarmTopicArn, logger, sink } = this.#parts;
    if (alarmTopicArn === undefined || alarmTopicArn === request.TopicArn) return;
    try {
      await sink.publish({ ...request, TopicArn: alarmTopicArn });
    } catch (error) {
      logger.error('Alert about an alert path sent, but not its copy on the alarm topic', {
        error: describeError(error),
        eventId,
      });
    }
  }

  /** Files the invocation's alerts in Security Hub; a failure is logged, never thrown. */
  async #importFindings(published: readonly AlertNotice[]): Promise<void> {
    const { findings, logger } = this.#parts;
    if (findings === undefined) return;
    try {
      const refused = await findings.importFindings(published, this.timing.clock());
      for (const { id, reason } of refused) {
        logger.error('Security Hub refused a finding', {
          findingId: shown(id),
          reason: shown(reason),
        });
      }
    } catch (error) {
      logger.error('Findings not imported into Security Hub; the alerts were sent', {
        error: describeError(error),
        eventIds: published.map((notice) => shown(notice.alert.event.eventId)),
      });
    }
  }

  async #snapshot(notice: AlertNotice): Promise<void> {
    const { forensics, logger } = this.#parts;
    if (forensics === undefined) return;
    const snapshot = await forensics.takeSnapshot(notice.alert.event, { ...alertFields(notice) });
    if (snapshot.written) logger.info('Forensic snapshot written', { key: snapshot.key });
    else {
      logger.error('Forensic snapshot failed', {
        key: snapshot.key,
        error: describeError(snapshot.error),
      });
    }
  }
}
