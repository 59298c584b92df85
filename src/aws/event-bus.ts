import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type BusEvent, EVENT_SOURCE } from '../alert/bus-event.js';
import type { EventSink, RefusedEvent } from '../pipeline/ports.js';
import { BOUNDED_CALLS } from './bounded-calls.js';

/**
 * How long putting an invocation's events may take before it is given up. The alerts are already
 * out; this bounds how long the invocation waits on EventBridge after them. No longer than the
 * Security Hub import's budget, beside which it runs: the function's timeout counts the longer.
 */
export const EVENTS_BUDGET_MS = 5_000;

/** PutEvents takes at most this many entries a call... */
const BATCH_MAX_ENTRIES = 10;
/**
 * ...of less than 1 MB in all (the API reference). A batch is cut far below that: an alert's
 * detail is a few KB, a digest's some tens at most.
 */
const BATCH_MAX_BYTES = 256 * 1024;

type Sdk = typeof import('@aws-sdk/client-eventbridge');

/** An entry's size as EventBridge counts it: its source, detail-type and detail, in UTF-8. */
const sizeOf = (entry: PutEventsRequestEntry): number =>
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '');

/** The entries in order, cut into the calls PutEvents takes. */
const batchesOf = (entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] => {
  const batches: PutEventsRequestEntry[][] = [];
  let batch: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sizeOf(entry);
    if (
      batch.length === BATCH_MAX_ENTRIES ||
      (batch.length > 0 && bytes + size > BATCH_MAX_BYTES)
    ) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
};

export interface EventBusOptions {
  /** @default 'default', the account's default event bus */
  busName?: string;
  client?: EventBridgeClient | undefined;
  /** @default EVENTS_BUDGET_MS */
  budgetMs?: number;
}

/**
 * Puts alerts and digests on an event bus with `PutEvents`, for the account's own rules to route
 * (a pager, chat, a SIEM). The client is loaded on the first put, not at start-up: it is needed
 * only after the alerts are out, and most invocations send none.
 */
export class EventBus implements EventSink {
  readonly #options: EventBusOptions;
  #client: Promise<{ sdk: Sdk; client: EventBridgeClient }> | undefined;

  constructor(options: EventBusOptions = {}) {
    this.#options = options;
  }

  async putEvents(events: readonly BusEvent[]): Promise<readonly RefusedEvent[]> {
    const { busName = 'default', budgetMs = EVENTS_BUDGET_MS } = this.#options;
    const abortSignal = AbortSignal.timeout(budgetMs);
    this.#client ??= this.#load().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    const { sdk, client } = await this.#client;
    const entries = events.map(
      ({ detailType, detail }): PutEventsRequestEntry => ({
        EventBusName: busName,
        Source: EVENT_SOURCE,
        DetailType: detailType,
        Detail: detail,
      }),
    );
    const refused: RefusedEvent[] = [];
    let start = 0;
    for (const batch of batchesOf(entries)) {
      const answer = await client.send(new sdk.PutEventsCommand({ Entries: batch }), {
        abortSignal,
      });
      // One result per entry, in order; a failed entry has an error code instead of an id.
      for (const [offset, result] of (answer.Entries ?? []).entries()) {
        if (result.ErrorCode === undefined && result.EventId !== undefined) continue;
        refused.push({
          index: start + offset,
          reason: `${result.ErrorCode ?? 'Error'}: ${result.ErrorMessage ?? ''}`,
        });
      }
      start += batch.length;
    }
    return refused;
  }

  async #load(): Promise<{ sdk: Sdk; client: EventBridgeClient }> {
    const sdk = await import('@aws-sdk/client-eventbridge');
    return { sdk, client: this.#options.client ?? new sdk.EventBridgeClient(BOUNDED_CALLS) };
  }
}
