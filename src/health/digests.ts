import { utcText } from '../alert/text/times.js';
import { type Check, fail, pass } from './check.js';
import type { DigestReads } from './ports.js';

/**
 * How long a closed window may wait for its digest before the check fails: the schedule runs
 * every five minutes, and a failed run is taken up by the next; six runs missed is a schedule
 * that is not running, not a slow one.
 */
export const DIGEST_OVERDUE_MINUTES = 30;

/**
 * `digests`: the events that collapse windows counted instead of alerting reach a person only
 * in the window's digest, which the digest function's schedule sends. Events still waiting well
 * after their window closed mean the schedule is disabled or failing: the person on call has
 * heard of the first call of each window and nothing of what followed.
 *
 * @param digestFunctionArn what the schedule invokes, when the settings name it
 */
export const digestsCheck = (
  digests: DigestReads,
  { digestFunctionArn }: { digestFunctionArn?: string | undefined },
): Check => ({
  id: 'digests',
  actions: ['dynamodb:Query'],
  async run(now) {
    const { events, oldestClosedAt } = await digests.unreported(
      now.getTime() - DIGEST_OVERDUE_MINUTES * 60_000,
    );
    if (events > 0) {
      return fail(
        `${events} root ${events === 1 ? 'event' : 'events'} counted in dedup windows that closed more than ${DIGEST_OVERDUE_MINUTES} minutes ago ${events === 1 ? 'was' : 'were'} never reported in a digest${oldestClosedAt === undefined ? '' : ` (the oldest window closed at ${utcText(new Date(oldestClosedAt))})`}: the digest schedule is not running or its runs fail`,
        `enable the digest function's schedule (aws events list-rule-names-by-target --target-arn ${digestFunctionArn ?? 'ARN-OF-<stack>-digests'}, then aws events enable-rule --name RULE), and read the digest function's errors in the log group it shares with the real-time function; the next run sends every digest due`,
      );
    }
    return pass(
      `every dedup window that closed more than ${DIGEST_OVERDUE_MINUTES} minutes ago has had its digest`,
    );
  },
});
