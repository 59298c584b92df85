import { emailFor } from '../../../alert/render/email.js';
import type { SnsPublishRequest } from '../../../alert/render/sns-request.js';
import { subjectFor } from '../../../alert/render/subject.js';
import { escapeText } from '../../../alert/text/escape.js';
import { utcText } from '../../../alert/text/times.js';
import {
  type ConfigChangeNotice,
  configChangeAlertFor,
} from '../../../config-watch/config-change-alert.js';
import { digestMessageFor } from '../../../digests/digest-message.js';
import type { WindowDigest } from '../../../digests/window-digest.js';
import type { Ignored } from '../../../engine/decision.js';
import { sessionNote } from '../../../root-sessions/session-text.js';
import { decisionOf, type RootUsage } from '../replayed.js';
import type { FormatOptions, ReplayFormat } from './format.js';

const RULER = '='.repeat(78);

/**
 * As a person would read it: an alert as its subject line and email body between rulers; an
 * allowlisted or duplicate event as one line.
 */
const emailTextFor = (replayed: RootUsage): string => {
  if (replayed.decision === 'alert') {
    const { notice } = replayed;
    return `${RULER}\nSubject: ${subjectFor(notice)}\n${RULER}\n${emailFor(notice)}\n`;
  }
  const { event, matches, rootSession } = decisionOf(replayed);
  let why: string;
  if (replayed.decision === 'allowlisted') {
    why = `allowlist entry "${field(replayed.allowlisted.allowlistEntry)}"`;
  } else {
    why =
      replayed.countedBy === undefined
        ? 'collapsed into an earlier alert'
        : `collapsed into the alert for event ${field(replayed.countedBy)}`;
  }
  const session = rootSession === undefined ? '' : `  ${sessionNote(rootSession, field)}`;
  return `${replayed.decision.padEnd(11)} ${utcText(event.eventTime, { fraction: 'kept' })}  ${field(event.eventName)} (${field(event.eventSource)})  ${field(event.accountId)} ${field(event.region)}  from ${field(event.sourceIp)}  [${matches.map((match) => match.rule.id).join(', ')}]  ${why}${session}\n`;
};

const field = (value: string): string => escapeText(value, 80);

/** An event the engine ignored, on one line like an allowlisted one, with the reason. */
const ignoredTextFor = ({ event, reason }: Ignored): string =>
  `${'ignored'.padEnd(11)} ${utcText(event.eventTime, { fraction: 'kept' })}  ${field(event.eventName)} (${field(event.eventSource)})  ${field(event.accountId)} ${field(event.region)}  from ${field(event.sourceIp)}  ${field(reason)}\n`;

/** A published message as its recipients read it: subject, then the email body. */
const asEmail = (request: SnsPublishRequest): string => {
  const { email } = JSON.parse(request.Message) as { email: string };
  return `${RULER}\nSubject: ${request.Subject}\n${RULER}\n${email}\n`;
};

// The topic is not part of what a person reads.
const TOPIC = 'replay';

/** The announcement of a change, as its email: the same text the Lambda publishes. */
const changeEmailFor = (notice: ConfigChangeNotice): string =>
  asEmail(configChangeAlertFor(notice, TOPIC));

/** The digest of a closed collapse window, as the Lambda sends it. */
const digestEmailFor = (digest: WindowDigest): string => asEmail(digestMessageFor(digest, TOPIC));

/** `--format email`: every alert in full, as its recipients would read it. */
export const emailFormat = ({ showIgnored }: FormatOptions): ReplayFormat => ({
  event: (replayed) => {
    if (replayed.decision !== 'ignored') return emailTextFor(replayed);
    return showIgnored ? ignoredTextFor(replayed.ignored) : '';
  },
  change: changeEmailFor,
  digest: digestEmailFor,
  end: () => '',
});
