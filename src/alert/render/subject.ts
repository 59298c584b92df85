import { issuesRootSession, throughConsole } from '../../engine/root-usage.js';
import type { FirstSeen } from '../../first-seen/first-seen.js';
import type { AlertNotice } from '../alert-notice.js';
import { asciiOnly, truncateAscii } from '../text/escape.js';
import { isAccountId, isRegion } from '../text/shell-safe.js';

/** SNS takes a subject of printable ASCII "less than 100 characters"; email shows it as is. */
export const SUBJECT_MAX_CHARS = 99;

/** Holds a subject to SNS's rules whatever went into it. */
export const finishSubject = (subject: string): string =>
  truncateAscii(asciiOnly(subject), SUBJECT_MAX_CHARS);

/** A source root had not used, in the subject's few words. */
const FIRST_SEEN_TAG: Record<FirstSeen['kind'], string> = {
  'first-seen': 'first seen',
  learning: 'first seen, learning',
  'in-archive': 'first seen in archive',
};

/**
 * `[CRITICAL] Root console sign-in without MFA - 111122223333 us-east-1`, from structured values
 * only: the severity, our own rule title, and the account and Region when they are well formed.
 * No free event text reaches it. `(first seen)` when it raised the severity, `via AssumeRoot` or
 * `via console`, `(first seen, learning)` or `(first seen in archive)`, and `(+N suppressed)` are
 * added in that order when they fit without cutting the title.
 */
export const subjectFor = (notice: AlertNotice): string => {
  const { alert, suppressedBefore } = notice;
  const { event } = alert;
  const head = `[${alert.severity}] `;
  const title = asciiOnly(alert.matches[0].rule.title);
  const account = isAccountId(event.accountId) ? event.accountId : 'unknown account';
  const region = isRegion(event.region) ? event.region : 'unknown region';
  const where = ` - ${account} ${region}`;

  const room = SUBJECT_MAX_CHARS - head.length - where.length;
  if (title.length > room) return finishSubject(head + truncateAscii(title, room) + where);

  const fits = (text: string): boolean => text.length <= SUBJECT_MAX_CHARS;
  const seen = notice.firstSeen === undefined ? '' : ` (${FIRST_SEEN_TAG[notice.firstSeen.kind]})`;
  // The mark that raised the severity says why before anything else is added; a mark that
  // raised nothing comes after the path.
  const raised = notice.firstSeen?.kind === 'first-seen';
  const tag = raised && fits(head + title + where + seen) ? seen : '';
  let subject = head + title + where + tag;
  // A root session issued names AssumeRoot in its title already; its caller is not in one.
  const via = issuesRootSession(event)
    ? undefined
    : event.assumedRoot || alert.rootSession !== undefined
      ? 'AssumeRoot'
      : throughConsole(event)
        ? 'console'
        : undefined;
  if (via !== undefined) {
    const withPath = `${head + title} via ${via}${where}${tag}`;
    if (fits(withPath)) subject = withPath;
  }
  if (!raised && seen !== '' && fits(subject + seen)) subject += seen;
  if (suppressedBefore > 0) {
    const withCount = `${subject} (+${suppressedBefore} suppressed)`;
    if (fits(withCount)) subject = withCount;
  }
  return finishSubject(subject);
};
