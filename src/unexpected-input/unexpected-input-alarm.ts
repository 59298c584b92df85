import { randomUUID } from 'node:crypto';
import { shown } from '../alert/text/escape.js';
import type { ClaimRequest, DedupStore } from '../dedup/dedup-store.js';
import { describeError } from '../errors.js';
import {
  eventsHeld,
  fieldsOf,
  type InputShape,
  type MonitorFunction,
  shapeOf,
  TRIGGERS,
} from '../intake/trigger-input.js';
import type { AlertSink, PipelineLogger, UnexpectedInputMetrics } from '../pipeline/ports.js';
import type { AlarmOutcome, UnexpectedInputResult } from '../pipeline/results.js';
import { unexpectedInputAlertFor } from './unexpected-input-alert.js';

/**
 * The stable log message of an unexpected input, one line per input, for a search or a metric
 * filter; the alarm's message itself goes out at most once an hour (see REPEAT_AFTER_MS).
 */
export const UNEXPECTED_INPUT_LOG_MESSAGE = 'UNEXPECTED_INPUT';

/**
 * One alarm per function and shape per hour. A tampered target is a state, not an event: the
 * first input tells the person on call, each later one is counted in the metric (whose alarm
 * stays in ALARM while they go on) and logged, and an hour on the alarm is sent again if it has
 * not stopped. One per invocation would page once for every root event a constant target
 * swallows, or twelve times an hour on the digest schedule.
 */
export const REPEAT_AFTER_MS = 60 * 60 * 1000;

/** What one invocation was given, as the alarm tells it. */
export interface UnexpectedInputFacts {
  shape: InputShape;
  /** The input itself: only its top-level field names are quoted. */
  input: unknown;
  /** The CloudTrail events it held. */
  events: number;
  /** Whether the function judged those events (the real-time function, the guard, the backstop). */
  judged: boolean;
  /** Why the events it held could not be read, when they could not. */
  unreadable?: string;
}

export interface UnexpectedInputAlarmParts {
  function: MonitorFunction;
  /** The deployed function's name (AWS_LAMBDA_FUNCTION_NAME), when known. */
  functionName: string | undefined;
  store: DedupStore;
  /** Publishes to `topicArn`, falling back to the other topic when SNS refuses that one. */
  sink: AlertSink;
  /** The alarm topic; the alert topic when the stack gives none. */
  topicArn: string;
  accountId: string | undefined;
  logger: PipelineLogger;
  metrics: UnexpectedInputMetrics;
}

/**
 * Tells the alarm topic that a function was given input its trigger never sends: a test, or a
 * tampered target (a constant `Input`, an `InputPath`, an `InputTransformer`) that hides what
 * its rule matches. Never thrown for the input itself, which no retry can mend; thrown only when
 * the alarm could not be published, so that Lambda retries it (and the metric's own alarm is
 * the second path meanwhile). Claimed in the dedup table, once per function and shape per hour,
 * and sent unclaimed when the table cannot answer.
 */
export class UnexpectedInputAlarm {
  readonly #parts: UnexpectedInputAlarmParts;
  /** Shapes alarmed from this container, with when their hour ends: no store call until then. */
  readonly #alarmed = new Map<InputShape, number>();

  constructor(parts: UnexpectedInputAlarmParts) {
    this.#parts = parts;
  }

  /** @param leaseUntil the end of this invocation, which holds the claim while it sends */
  async raise(facts: UnexpectedInputFacts, now: Date, leaseUntil: number): Promise<AlarmOutcome> {
    const { function: fn, logger, metrics, store } = this.#parts;
    const fields = fieldsOf(facts.input);
    metrics.unexpectedInput(fn, facts.shape);
    logger.error(UNEXPECTED_INPUT_LOG_MESSAGE, {
      function: fn,
      input: facts.shape,
      expected: TRIGGERS[fn].sends,
      fields: fields.map((field) => shown(field, 64)),
      events: facts.events,
      ...(facts.unreadable === undefined ? {} : { unreadable: shown(facts.unreadable, 500) }),
    });
    if (now.getTime() < (this.#alarmed.get(facts.shape) ?? 0)) return 'already sent this hour';
    const key = `unexpected-input#${fn}#${facts.shape}`;
    const claim: ClaimRequest = {
      key,
      // Unique per attempt: a store treats a repeated opener as a redelivery, and the next
      // hour's alarm must be able to open a window of its own.
      eventId: `${key}@${now.getTime()}`,
      at: now.getTime(),
      until: now.getTime() + REPEAT_AFTER_MS,
      token: randomUUID(),
      leaseUntil,
      now: now.getTime(),
    };
    let claimed: boolean;
    try {
      const { kind } = await store.claim(claim);
      if (kind === 'duplicate') return 'already sent this hour';
      // Another invocation is sending it; if that fails, it throws and its retry sends it.
      if (kind === 'in-flight') return 'being sent by another invocation';
      claimed = true;
    } catch (error) {
      logger.error('Dedup table unavailable; sending the unexpected-input alarm unclaimed', {
        error: describeError(error),
      });
      claimed = false;
    }
    await this.#send(facts, fields, claim, claimed);
    this.#alarmed.set(facts.shape, claim.until);
    return 'sent';
  }

  async #send(
    facts: UnexpectedInputFacts,
    fields: readonly string[],
    claim: ClaimRequest,
    claimed: boolean,
  ): Promise<void> {
    const { store, sink, topicArn, accountId, logger, functionName } = this.#parts;
    let messageId: string | undefined;
    try {
      messageId = await sink.publish(
        unexpectedInputAlertFor(
          {
            function: this.#parts.function,
            functionName,
            shape: facts.shape,
            fields,
            events: facts.events,
            judged: facts.judged,
            ...(facts.unreadable === undefined ? {} : { unreadable: facts.unreadable }),
            repeatAfterMinutes: REPEAT_AFTER_MS / 60_000,
          },
          topicArn,
          accountId,
        ),
      );
    } catch (error) {
      if (claimed) {
        await store.release(claim).catch((releaseError: unknown) =>
          logger.error('Unexpected-input alarm not sent and its claim not released', {
            error: describeError(releaseError),
          }),
        );
      }
      logger.error('Unexpected-input alarm not sent; failing the invocation so it is retried', {
        error: describeError(error),
      });
      throw error;
    }
    if (claimed) {
      await store.markSent(claim, messageId).catch((markError: unknown) =>
        // Its lease ends with this invocation; a later input may alarm again this hour.
        logger.error('Unexpected-input alarm sent but its claim not marked sent', {
          error: describeError(markError),
        }),
      );
    }
  }
}

/**
 * A function's work on an input and the alarm about the input's shape, side by side: neither
 * waits on the other's calls. Once both have settled, a failure of either is thrown (the
 * work's first), so that Lambda retries the invocation.
 */
export const besideTheAlarm = async <T>(
  work: Promise<T>,
  alarm: Promise<AlarmOutcome>,
): Promise<{ result: T; alarm: AlarmOutcome }> => {
  const [done, raised] = await Promise.allSettled([work, alarm]);
  if (done.status === 'rejected') throw done.reason;
  if (raised.status === 'rejected') throw raised.reason;
  return { result: done.value, alarm: raised.value };
};

/**
 * A scheduled function's run, whatever its input: a schedule carries no work of its own, so the
 * run goes ahead; an input other than EventBridge's Scheduled Event raises the unexpected-input
 * alarm beside it.
 */
export const runScheduled = async <T>(
  input: unknown,
  parts: {
    run: () => Promise<T>;
    alarm: UnexpectedInputAlarm;
    now: Date;
    leaseUntil: number;
  },
): Promise<T | UnexpectedInputResult<T>> => {
  const shape = shapeOf(input);
  if (shape === 'scheduled-event') return parts.run();
  const { result, alarm } = await besideTheAlarm(
    parts.run(),
    parts.alarm.raise(
      { shape, input, events: eventsIn(input, shape), judged: false },
      parts.now,
      parts.leaseUntil,
    ),
  );
  return { decision: 'unexpected-input', input: shape, alarm, handled: result };
};

/** How many CloudTrail events an input holds, for the alarm to say; none when unreadable. */
const eventsIn = (input: unknown, shape: InputShape): number => {
  try {
    return eventsHeld(input, shape, 'event').length;
  } catch {
    return 0;
  }
};
