import { utcText } from '../alert/text/times.js';
import { digestFacts } from './digest-facts.js';
import type { WindowDigest } from './window-digest.js';

/**
 * The digest of a closed collapse window as a record for programs: its key, times and counts,
 * and the events that matched no rule. Replay prints it as a JSON line; the digest function puts
 * it on the event bus. Strings are still CloudTrail's, raw: whoever writes it out escapes them.
 * It has no `eventId`: it is not an event, and a program counting events by their ID must not
 * count it as one.
 */
export const digestRecordOf = (digest: WindowDigest) => {
  const facts = digestFacts(digest);
  return {
    decision: 'digest',
    dedupKey: digest.key,
    severity: facts.severity,
    ruleIds: [facts.ruleId],
    accountId: facts.accountId,
    sourceIp: facts.sourceIp,
    windowOpenedAt: utcText(digest.openedAt),
    windowClosesAt: utcText(digest.closesAt),
    firstEventTime: utcText(facts.firstAt),
    lastEventTime: utcText(facts.lastAt),
    events: digest.events.length,
    failed: facts.failedTotal,
    eventNames: Object.fromEntries(facts.byName.map(({ eventName, count }) => [eventName, count])),
    unmatched: facts.unmatched.map((event) => ({
      eventTime: utcText(event.at),
      eventName: event.eventName,
      eventSource: event.eventSource,
      region: event.region,
      ...(event.errorCode === undefined ? {} : { errorCode: event.errorCode }),
    })),
    reportedBefore: digest.reportedBefore,
    beforeAlert: facts.beforeOpener.count,
  } as const;
};
