import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DigestReads, UnreportedEvents } from '../../health/ports.js';
import { dueNotePages, numberIn } from '../counted-event-item.js';

/**
 * Counted events waiting for a digest, read from the dedup table's sparse index of them: only
 * their keys and window close times, never the table.
 */
export class UnreportedEventsIndex implements DigestReads {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async unreported(closedBy: number): Promise<UnreportedEvents> {
    let events = 0;
    let oldestClosedAt: number | undefined;
    for await (const page of dueNotePages(
      this.#client,
      this.#tableName,
      closedBy,
      'closesAt, countedAt',
    )) {
      for (const item of page.Items ?? []) {
        // Counted after `closedBy` into a window closed before it: not yet overdue.
        if (numberIn(item.countedAt) > closedBy) continue;
        events++;
        const closedAt = numberIn(item.closesAt);
        oldestClosedAt = Math.min(oldestClosedAt ?? closedAt, closedAt);
      }
    }
    return { events, oldestClosedAt };
  }
}
