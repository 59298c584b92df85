import { utcText } from '../alert/text/times.js';
import type { Alert } from '../engine/decision.js';
import type { FirstSeen } from './first-seen.js';

/** The words every alert and log line says a marked source with. */
export const firstSeenLabel = (firstSeen: FirstSeen): string => {
  switch (firstSeen.kind) {
    case 'first-seen':
      return 'first seen';
    case 'learning':
      return 'first seen (learning)';
    case 'in-archive':
      return 'first seen in this archive';
  }
};

/** `203.0.113.7`, or `the network 2001:db8:4f2a::/64` */
const sourceText = (source: string): string =>
  source.includes('/') ? `the network ${source}` : source;

/**
 * The severity the alert's rules gave it, when the mark raised it from that; undefined when the
 * alert keeps its rules' severity.
 */
export const raisedFrom = (alert: Alert): Alert['severity'] | undefined => {
  const ruled = alert.matches[0].severity;
  return ruled === alert.severity ? undefined : ruled;
};

/**
 * What the mark means, for a person: `First seen: root has not used 203.0.113.7 in this account
 * in the last 90 days, so this alert is raised from HIGH to CRITICAL.` Our own words and a
 * parsed address only; no event text.
 */
export const firstSeenSentence = (firstSeen: FirstSeen, alert: Alert): string => {
  const source = sourceText(firstSeen.source);
  switch (firstSeen.kind) {
    case 'first-seen': {
      const from = raisedFrom(alert);
      const raised =
        from === undefined
          ? `this alert is ${alert.severity} already`
          : `this alert is raised from ${from} to ${alert.severity}`;
      return `First seen: root has not used ${source} in this account in the last ${firstSeen.days} days, so ${raised}.`;
    }
    case 'learning':
      return `First seen (learning): root has not used ${source} in this account in the last ${firstSeen.days} days. The monitor is still learning the sources root uses, until ${utcText(firstSeen.learningUntil)} (UTC), and raises no severity for them before then.`;
    case 'in-archive':
      return `First seen in this archive: no earlier root event from ${source} in this account was read.`;
  }
};

/** What a log line, an event on the bus and replay's JSON say of a marked source. */
export interface FirstSeenFields {
  /** `first seen`, `first seen (learning)` or `first seen in this archive`. */
  firstSeen?: string;
  /** The source as remembered: the IPv4 address, or the IPv6 address's /64. */
  firstSeenSource?: string;
  /** The severity the alert's rules gave it, when first seen raised it. */
  severityRaisedFrom?: Alert['severity'];
}

/** The fields of the mark, none when there is none. */
export const firstSeenFields = (
  alert: Alert,
  firstSeen: FirstSeen | undefined,
): FirstSeenFields => {
  if (firstSeen === undefined) return {};
  const from = raisedFrom(alert);
  return {
    firstSeen: firstSeenLabel(firstSeen),
    firstSeenSource: firstSeen.source,
    ...(from === undefined ? {} : { severityRaisedFrom: from }),
  };
};
