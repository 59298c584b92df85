import type { Rule, RuleCase, RuleContext } from '../src/engine/rule.js';
import { type CloudTrailRecord, toTrailEvent } from '../src/intake/trail-event.js';
import { type RootSession, sessionOpenedBy } from '../src/root-sessions/root-session.js';
import { joinSession } from '../src/root-sessions/session-join.js';
import { assumeRootRecord, defaultContext, rootSessionCallRecord } from './cases.js';
import { escalate, reviewRootActivity } from './runbook.js';

export const rootSessionOutsideTaskPolicy: Rule = {
  id: 'root-session-outside-task-policy',
  title: 'Root session call outside its task policy',
  severity: 'HIGH',
  description:
    "A root session opened by sts:AssumeRoot made a call in the member account that its root-task policy does not allow (the AWS managed root-task policies list their actions; root-monitor holds them as data), or the session's task policy is one root-monitor does not know. AWS denies such a call, so it usually fails with AccessDenied; the attempt still counts: whoever holds the session tried to use root for more than the task it was opened for. No allowlist entry silences it.",
  runbook: [
    "Ask whoever opened the session (Root session, below: the caller of sts:AssumeRoot, its address and task policy) what this call was for. A call the task does not need means that principal's credentials, or the session's, are in other hands: revoke the principal's sessions and remove sts:AssumeRoot from its policies now.",
    'See everything the session did while it lasted (at most 15 minutes): {lookupCommand}',
    "Find the sts:AssumeRoot call itself in the management (or delegated administrator) account's trail, in the Region it names, by the AssumeRoot event id below, and check that account for other sessions the same principal opened.",
    reviewRootActivity,
    escalate,
  ],
  allowlistable: false,
  dedupBy: 'event',
  match: (_event, { rootSession }) =>
    rootSession?.kind === 'seen' && rootSession.taskPolicy !== 'within',
  tests: () => {
    // Judged after the session, as the monitor judges it: the clock only bounds a future time.
    const opened = sessionOpenedBy(
      toTrailEvent(assumeRootRecord()),
      new Date('2026-05-04T10:00:00Z'),
    );
    /** A call joined as the pipeline joins it, with `session` remembered (by default, `opened`). */
    const inSession = (
      name: string,
      overrides: CloudTrailRecord,
      expected: boolean,
      remembered: { session: RootSession | undefined } = { session: opened },
    ): RuleCase => {
      const record = rootSessionCallRecord(overrides);
      const context: RuleContext = {
        ...defaultContext,
        rootSession: joinSession(toTrailEvent(record), remembered.session),
      };
      return { name, record, expected, context };
    };
    return [
      inSession('deletes the bucket policy it was opened for', {}, false),
      inSession('lists the buckets, which its policy allows', { eventName: 'ListBuckets' }, false),
      inSession(
        'deletes a bucket, which AWS denies',
        {
          eventName: 'DeleteBucket',
          errorCode: 'AccessDenied',
          errorMessage:
            'User: arn:aws:iam::444455556666:root is not authorized to perform: s3:DeleteBucket with an explicit deny in a session policy',
        },
        true,
      ),
      inSession(
        'creates an IAM user with an S3 task policy',
        { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', awsRegion: 'us-east-1' },
        true,
      ),
      inSession(
        'asks who it is, which no policy governs',
        { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' },
        false,
      ),
      inSession('acts under a task policy root-monitor does not know', {}, true, {
        session: opened && {
          ...opened,
          taskPolicyArn: 'arn:aws:iam::aws:policy/root-task/NewTask',
        },
      }),
      inSession('a session whose AssumeRoot was not seen', { eventName: 'DeleteBucket' }, false, {
        session: undefined,
      }),
      {
        name: 'root outside any root session',
        record: rootSessionCallRecord({ eventName: 'DeleteBucket' }),
        expected: false,
      },
    ];
  },
};
