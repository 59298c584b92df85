import {
  CloudTrailClient,
  type LookupAttribute,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { eventsFrom } from '../intake/events-from.js';
import { parseJson } from '../intake/parse-json.js';
import type { TrailEvent } from '../intake/trail-event.js';

/**
 * LookupEvents answers about two calls a second per account and Region; a pause this long
 * between pages keeps a lookup of many pages under it, so the SDK's retries are for faults.
 */
const PAUSE_BETWEEN_PAGES_MS = 500;

/** The most results LookupEvents gives a page. */
const PAGE_SIZE = 50;

/**
 * What the event history is asked for. LookupEvents takes one attribute a call: root's own
 * calls (CloudTrail names the root user `root`), and the calls that issue root sessions, which
 * other identities make and the allowlist can name by principal and task policy.
 */
const LOOKUPS: readonly LookupAttribute[] = [
  { AttributeKey: 'Username', AttributeValue: 'root' },
  { AttributeKey: 'EventName', AttributeValue: 'AssumeRoot' },
];

export interface HistoryRange {
  since: Date;
  until: Date;
  /** Each Region's history is its own; global services (IAM, STS, sign-in) record in us-east-1. */
  regions: readonly string[];
  /** A client for a Region: the SDK's by default, in that Region. */
  clientFor?: (region: string) => CloudTrailClient;
  /** Between pages, so that a long lookup stays under LookupEvents' rate. */
  pause?: (ms: number) => Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The root events CloudTrail's event history holds for the range (management events of the last
 * 90 days), Region by Region, each once: a call that issues a root session by root is found by
 * both lookups. Records that are not CloudTrail events are named in the error, not skipped.
 *
 * @throws InputError naming the Region and the event when a record cannot be read
 */
export async function* rootEventsInHistory({
  since,
  until,
  regions,
  clientFor = (region) => new CloudTrailClient({ region }),
  pause = sleep,
}: HistoryRange): AsyncGenerator<TrailEvent> {
  const seen = new Set<string>();
  for (const region of regions) {
    const client = clientFor(region);
    for (const lookup of LOOKUPS) {
      const pages = paginateLookupEvents(
        { client, pageSize: PAGE_SIZE },
        { LookupAttributes: [lookup], StartTime: since, EndTime: until, MaxResults: PAGE_SIZE },
      );
      for await (const page of pages) {
        for (const found of page.Events ?? []) {
          if (found.CloudTrailEvent === undefined) continue;
          const name = `event history ${region} ${found.EventId ?? ''}`.trim();
          for (const event of eventsFrom(parseJson(found.CloudTrailEvent, name), name)) {
            if (seen.has(event.eventId)) continue;
            seen.add(event.eventId);
            yield event;
          }
        }
        // The paginator asks for the next page (or the next lookup begins) when this returns.
        await pause(PAUSE_BETWEEN_PAGES_MS);
      }
    }
  }
}
