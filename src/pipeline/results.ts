import type { Severity } from '../engine/severity.js';

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

/** One event gives its own result; a CloudTrail log file (`Records`) gives one per record. */
export type InvocationResult =
  | EventResult
  | Unreadable
  | { decision: 'batch'; results: EventResult[] };

/**
 * A scheduled digest run: one result per digest sent; `unsent`, the digests that could not be
 * published, left for the next run.
 */
export interface DigestRunResult {
  decision: 'digests';
  results: DigestResult[];
  unsent: number;
}
