import type { BusEvent } from '../alert/bus-event.js';
import { shown } from '../alert/text/escape.js';
import { describeError } from '../errors.js';
import type { EventSink, PipelineLogger } from './ports.js';

/** How one kind of message goes on the bus, and what the log says when it does not. */
export interface SentOnBus<T> {
  eventOf(sent: T): BusEvent;
  /** The id the log names a message by (raw: it is escaped here). */
  idOf(sent: T): string;
  /** The log field for one id; the field for all of them adds an `s`. */
  idField: string;
  /** Logged for each event the bus refused. */
  refused: string;
  /** Logged when the put failed. */
  failed: string;
  logger: PipelineLogger;
}

/**
 * Puts what a run sent on the event bus, after SNS took it. A failure is logged, never thrown:
 * the messages are out, and a retry would send them again. Each refused event is logged with its
 * reason; a failed put with the ids of all it carried.
 */
export const putSentOnBus = async <T>(
  bus: EventSink | undefined,
  sent: readonly T[],
  how: SentOnBus<T>,
): Promise<void> => {
  if (bus === undefined) return;
  const idOf = (item: T | undefined): string => shown(item === undefined ? '' : how.idOf(item));
  try {
    const refused = await bus.putEvents(sent.map((item) => how.eventOf(item)));
    for (const { index, reason } of refused) {
      how.logger.error(how.refused, { [how.idField]: idOf(sent[index]), reason: shown(reason) });
    }
  } catch (error) {
    how.logger.error(how.failed, {
      // A validation error can quote the detail, which holds the events' text.
      error: shown(describeError(error)),
      [`${how.idField}s`]: sent.map(idOf),
    });
  }
};
