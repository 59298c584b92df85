import { shown } from '../alert/text/escape.js';
import { InputError } from '../intake/input-error.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { eventsHeld, type InputShape, shapeOf } from '../intake/trigger-input.js';
import {
  besideTheAlarm,
  type UnexpectedInputAlarm,
} from '../unexpected-input/unexpected-input-alarm.js';
import type { PipelineLogger } from './ports.js';
import type { EventResult, InvocationResult, JudgedEvents } from './results.js';

export interface DeliveryParts {
  /** The shape the function's trigger sends. */
  expected: InputShape;
  /** Decides, claims and sends what each event calls for; throws when any could not be sent. */
  judge(events: readonly TrailEvent[]): Promise<EventResult[]>;
  alarm: UnexpectedInputAlarm;
  logger: PipelineLogger;
  now: Date;
  /** The end of the invocation: the alarm's claim is held until then. */
  leaseUntil: number;
}

/**
 * One input to a function that judges CloudTrail events (the real-time function, the guard):
 * the events it holds, judged; and, when it is not the shape the function's trigger sends, the
 * unexpected-input alarm beside them, never instead of them. An input of that shape or another
 * is never thrown for: a retry cannot mend it.
 */
export const judgeDelivery = async (
  input: unknown,
  parts: DeliveryParts,
): Promise<InvocationResult> => {
  const shape = shapeOf(input);
  let events: TrailEvent[] = [];
  let unreadable: string | undefined;
  try {
    events = eventsHeld(input, shape, 'event');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    unreadable = shown(error.message);
    parts.logger.error('Unreadable event', { error: unreadable });
  }
  const judged = async (): Promise<JudgedEvents> => {
    if (unreadable !== undefined) return { decision: 'unreadable', error: unreadable };
    const results = await parts.judge(events);
    const [only] = results;
    return results.length === 1 && only !== undefined ? only : { decision: 'batch', results };
  };
  if (shape === parts.expected) return judged();
  const { result, alarm } = await besideTheAlarm(
    judged(),
    parts.alarm.raise(
      {
        shape,
        input,
        events: events.length,
        judged: true,
        ...(unreadable === undefined ? {} : { unreadable }),
      },
      parts.now,
      parts.leaseUntil,
    ),
  );
  return { decision: 'unexpected-input', input: shape, alarm, handled: result };
};
