import type { BusEvent } from '../alert/bus-event.js';
import { type PlainMessage, plainMessageFor } from '../alert/render/plain-message.js';
import type { SnsPublishRequest } from '../alert/render/sns-request.js';
import { shown } from '../alert/text/escape.js';
import { describeError } from '../errors.js';
import type { EventSink, PipelineLogger } from './ports.js';

/**
 * A kind of message the monitor publishes and then puts on the event bus (root alerts, window
 * digests): how it is written, in full or plainly, its event, and how the log names it.
 */
export interface SentMessage<T> {
  render(item: T, topicArn: string): SnsPublishRequest;
  /** What it says when rendering it failed. */
  plain(item: T, renderError: string): PlainMessage;
  eventOf(item: T): BusEvent;
  /** The id the log names a message by (raw: it is escaped here). */
  idOf(item: T): string;
  /** The log field for one id; the field for all of them adds an `s`. */
  idField: string;
  /** What the log says when rendering failed, when the bus refused an event, when the put failed. */
  logs: { unrendered: string; refused: string; failed: string };
}

/** What publishing needs of the run: its topic, log and event bus. */
export interface SentMessageParts {
  topicArn: string;
  logger: PipelineLogger;
  events?: EventSink | undefined;
}

/**
 * The message as published: in full, or plainly when rendering it failed, never not at all. The
 * failure is logged with the id that names the message.
 */
export const renderedOrPlain = <T>(
  kind: SentMessage<T>,
  item: T,
  { topicArn, logger }: SentMessageParts,
): SnsPublishRequest => {
  try {
    return kind.render(item, topicArn);
  } catch (error) {
    const renderError = describeError(error);
    logger.error(kind.logs.unrendered, {
      error: renderError,
      [kind.idField]: shown(kind.idOf(item)),
    });
    return plainMessageFor(kind.plain(item, renderError), topicArn);
  }
};

/**
 * Puts what a run sent on the event bus, after SNS took it. A failure is logged, never thrown:
 * the messages are out, and a retry would send them again. Each refused event is logged with its
 * reason; a failed put with the ids of all it carried.
 */
export const putSentOnBus = async <T>(
  kind: SentMessage<T>,
  sent: readonly T[],
  { events, logger }: SentMessageParts,
): Promise<void> => {
  if (events === undefined) return;
  const idOf = (item: T | undefined): string => shown(item === undefined ? '' : kind.idOf(item));
  try {
    const refused = await events.putEvents(sent.map((item) => kind.eventOf(item)));
    for (const { index, reason } of refused) {
      logger.error(kind.logs.refused, { [kind.idField]: idOf(sent[index]), reason: shown(reason) });
    }
  } catch (error) {
    logger.error(kind.logs.failed, {
      // A validation error can quote the detail, which holds the events' text.
      error: shown(describeError(error)),
      [`${kind.idField}s`]: sent.map(idOf),
    });
  }
};
