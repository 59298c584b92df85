import { randomUUID } from 'node:crypto';
import type { DedupStore } from '../dedup/dedup-store.js';
import { describeError } from '../errors.js';
import type { AlertSink, PipelineLogger } from '../pipeline/ports.js';
import type { CheckResult } from './check.js';
import { healthAlertFor } from './health-alert.js';

/** A failing check is announced once a day while it keeps failing, not at every run. */
export const REPEAT_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * How long a run holds a check's claim while it sends the alert: far longer than a run takes.
 * A run that dies holding it delays that check's alert by this much, never past the next runs.
 */
const CLAIM_LEASE_MS = 10 * 60 * 1000;

type Failing = Extract<CheckResult, { ok: false }>;

/** What became of one failing check's alert. */
export type Announcement = 'sent' | 'already-sent-today' | 'not-sent';

export interface HealthAlarmOptions {
  store: DedupStore;
  sink: AlertSink;
  /**
   * Every topic the alert goes to: the alert topic and the alarm topic. A health alert is often
   * about one of them (no subscriber, a filter that drops everything, a dead key): sent to that
   * one only, it would reach nobody.
   */
  topicArns: readonly string[];
  accountId: string | undefined;
  logger: PipelineLogger;
}

/**
 * Announces failing health checks, each at most once a day. The day is claimed in the dedup
 * table as the configuration alarm claims its own, so two runs never both send it; if the table
 * cannot say, the alert goes out unclaimed (a duplicate beats silence), and one that could not be
 * sent gives its claim back for the next run.
 */
export class HealthAlarm {
  readonly #options: HealthAlarmOptions;

  constructor(options: HealthAlarmOptions) {
    this.#options = options;
  }

  async raise(failing: Failing, now: Date): Promise<Announcement> {
    const { store, sink, topicArns, accountId, logger } = this.#options;
    const claim = {
      key: `health#${failing.id}`,
      // Unique per run: a store treats a repeated opener as a redelivery, and tomorrow's run must
      // be able to open the next day's window.
      eventId: `health#${failing.id}@${now.getTime()}`,
      at: now.getTime(),
      until: now.getTime() + REPEAT_AFTER_MS,
      token: randomUUID(),
      leaseUntil: now.getTime() + CLAIM_LEASE_MS,
      now: now.getTime(),
    };
    let claimed: 'claimed' | 'duplicate' | 'in-flight' | 'unclaimed';
    try {
      // A claim older than the day's window (a run whose clock is ahead announced it later) is
      // counted in it: that announcement covers this one.
      claimed = (await store.claim(claim)).kind;
    } catch (error) {
      logger.error('Dedup table unavailable; sending the health alert unclaimed', {
        check: failing.id,
        error: describeError(error),
      });
      claimed = 'unclaimed';
    }
    if (claimed === 'duplicate') return 'already-sent-today';
    if (claimed === 'in-flight') {
      // Another run is sending it; should that fail, a later run claims it again.
      logger.warn('Health alert being sent by another run', { check: failing.id });
      return 'not-sent';
    }
    try {
      const published = await Promise.allSettled(
        topicArns.map((topicArn) => sink.publish(healthAlertFor(failing, topicArn, accountId))),
      );
      for (const [index, outcome] of published.entries()) {
        if (outcome.status === 'rejected') {
          logger.error('Health alert not sent to one topic', {
            check: failing.id,
            topicArn: topicArns[index],
            error: describeError(outcome.reason),
          });
        }
      }
      const sent = published.find((outcome) => outcome.status === 'fulfilled');
      // Sent when any topic took it: a retry would repeat it there. None: the retry sends it.
      if (sent === undefined) {
        const [first] = published;
        throw first?.status === 'rejected' ? first.reason : new Error('no topic to send to');
      }
      const messageId = sent.value;
      if (claimed === 'claimed') {
        await store.markSent(claim, messageId).catch((markError: unknown) =>
          logger.error('Health alert sent but its claim not marked sent', {
            check: failing.id,
            error: describeError(markError),
          }),
        );
      }
      return 'sent';
    } catch (error) {
      logger.error('Health alert not sent', { check: failing.id, error: describeError(error) });
      if (claimed === 'claimed') {
        await store.release(claim).catch((releaseError: unknown) =>
          logger.error('Health alert not sent and its claim not released: it waits for its lease', {
            check: failing.id,
            error: describeError(releaseError),
          }),
        );
      }
      return 'not-sent';
    }
  }
}
