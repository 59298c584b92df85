import { shown } from '../alert/text/escape.js';
import { InputError } from '../intake/input-error.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { eventsHeld, type InputShape, shapeOf, TRIGGERS } from '../intake/trigger-input.js';
import {
  besideTheAlarm,
  type UnexpectedInputAlarm,
} from '../unexpected-input/unexpected-input-alarm.js';
import type { Invocation, PipelineLogger } from './ports.js';
import type { EventResult, InvocationResult, JudgedEvents } from './results.js';
import { leaseUntil, realTiming, type Timing } from './settle-claim.js';

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

/** What every function that judges the events its rule delivers is built with. */
export interface DeliveryJudgeParts {
  /** Tells the alarm topic when the function is given input its rule never sends. */
  unexpectedInput: UnexpectedInputAlarm;
  logger: PipelineLogger;
  /** The function's timeout: no claim is held longer than an invocation can last. */
  maxInvocationMs: number;
  timing?: Timing;
}

/**
 * A function that judges the CloudTrail events its rule delivers (the real-time function, the
 * guard): each input goes through {@link judgeDelivery}, and every claim an invocation makes is
 * leased until the invocation ends.
 */
export abstract class DeliveryJudge {
  readonly #trigger: 'real-time' | 'guard';
  readonly #parts: DeliveryJudgeParts;
  protected readonly timing: Timing;

  constructor(trigger: 'real-time' | 'guard', parts: DeliveryJudgeParts) {
    this.#trigger = trigger;
    this.#parts = parts;
    this.timing = parts.timing ?? realTiming;
  }

  /**
   * @param input the EventBridge event the function's rule delivers; any other shape (a
   *   constant target input, a bare record, a log file) raises the unexpected-input alarm, and
   *   the CloudTrail events it holds are judged all the same
   * @param invocation the Lambda context: claims are leased until the invocation ends.
   */
  async handle(input: unknown, invocation?: Invocation): Promise<InvocationResult> {
    const { now, leaseEnd } = this.started(invocation);
    return judgeDelivery(input, {
      expected: TRIGGERS[this.#trigger].sends,
      judge: (events) => this.handleEvents(events, invocation),
      alarm: this.#parts.unexpectedInput,
      logger: this.#parts.logger,
      now,
      leaseUntil: leaseEnd,
    });
  }

  /** Decides, claims and sends what each event calls for; throws when any could not be sent. */
  abstract handleEvents(
    events: readonly TrailEvent[],
    invocation?: Invocation,
  ): Promise<EventResult[]>;

  /** The time now, and until when a claim made now is held. */
  protected started(invocation: Invocation | undefined): { now: Date; leaseEnd: number } {
    const now = this.timing.clock();
    return { now, leaseEnd: leaseUntil(now, invocation, this.#parts.maxInvocationMs) };
  }
}
