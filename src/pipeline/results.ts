import type { Severity } from '../engine/severity.js';
import type { InputShape } from '../intake/trigger-input.js';

/** What happened to one event: the handler's answer, so `aws lambda invoke` shows it. */
export type EventResult =
  | { decision: 'ignored'; eventId: string; reason: string }
  | {
      decision: 'allowlisted';
      eventId: string;
      severity: Severity;
      ruleIds: string[];
      allowlistEntry: string;
    }
  | {
      decision: 'duplicate';
      eventId: string;
      severity: Severity;
      ruleIds: string[];
      dedupKey: string;
      redelivery: boolean;
    }
  | {
      decision: 'alert';
      eventId: string;
      severity: Severity;
      ruleIds: string[];
      messageId: string | undefined;
      suppressedBefore: number;
      /** False when the dedup table failed and the alert went out unclaimed. */
      claimed: boolean;
    };

/** An input no event could be read from. It is logged, never thrown: a retry cannot mend it. */
export interface Unreadable {
  decision: 'unreadable';
  error: string;
}

/** A window digest sent by the scheduled run. */
export interface DigestResult {
  decision: 'digest';
  dedupKey: string;
  /** The events it reported. */
  events: number;
  reportedBefore: number;
  messageId: string | undefined;
}

/** What a function did with the events an input held: one result each, or why none was read. */
export type JudgedEvents = EventResult | Unreadable | { decision: 'batch'; results: EventResult[] };

/** What became of the alarm about one input. */
export type AlarmOutcome = 'sent' | 'already sent this hour' | 'being sent by another invocation';

/**
 * A function given input its trigger never sends: the alarm raised about it, and what the
 * function did all the same.
 */
export interface UnexpectedInputResult<T> {
  decision: 'unexpected-input';
  input: InputShape;
  alarm: AlarmOutcome;
  /** The events the input held, judged as if delivered; or the run a schedule would have asked for. */
  handled: T;
}

/**
 * One event gives its own result; several (a log file's records), one each; an input of the
 * wrong shape, the alarm about it beside what became of the events it held.
 */
export type InvocationResult = JudgedEvents | UnexpectedInputResult<JudgedEvents>;

/**
 * A scheduled digest run: one result per digest sent; `unsent`, the digests that could not be
 * published, left for the next run.
 */
export interface DigestRunResult {
  decision: 'digests';
  results: DigestResult[];
  unsent: number;
}
