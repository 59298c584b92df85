import type { Severity } from '../engine/severity.js';

/** How an event reached the monitor: from EventBridge as it happened, or read from a trail file. */
export type Arrival = 'real-time' | 'trail-file';

/**
 * What a collapse window keeps of an event it counted instead of alerting, for the digest sent
 * when the window closes. Every string is CloudTrail's, so attacker-controlled: escape it
 * wherever it is shown.
 */
export interface CountedEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  accountId: string;
  region: string;
  sourceIp: string;
  /** Event time, epoch milliseconds. */
  at: number;
  /** CloudTrail's errorCode: the call failed. */
  errorCode: string | undefined;
  severity: Severity;
  /** The rules it matched; only the fallback rule means no catalog rule described it. */
  ruleIds: readonly string[];
  /** Wall clock, epoch milliseconds: when the monitor counted it. */
  countedAt: number;
  /** How it reached the monitor: a trail file brings what real-time delivery missed, late. */
  arrival: Arrival;
}
