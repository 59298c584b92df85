import { describe, expect, it } from 'vitest';
import {
  assumeRootRecord,
  MEMBER_ACCOUNT,
  ROOT_SESSION_KEY,
  rootRecord,
  rootSessionCallRecord,
} from '../../rules/cases.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';
import { type RootSession, sessionOpenedBy } from '../../src/root-sessions/root-session.js';
import { joinSession, sessionAccessKeyOf } from '../../src/root-sessions/session-join.js';
import { SessionJoiner } from '../../src/root-sessions/session-joiner.js';
import {
  MemoryRootSessions,
  type RootSessionStore,
} from '../../src/root-sessions/session-store.js';
import { recordingLogger } from '../support/recording-logger.js';

const NOW = new Date('2026-05-04T12:00:00Z');
const assumeRoot = toTrailEvent(assumeRootRecord());
const session = sessionOpenedBy(assumeRoot, NOW) as RootSession;
const sessionCall = (overrides: CloudTrailRecord = {}) =>
  toTrailEvent(rootSessionCallRecord(overrides));
/** The session's identity in the member account, as AWS may record it without `assumedRoot`. */
const withoutFlag = {
  type: 'Root',
  arn: `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
  accountId: MEMBER_ACCOUNT,
  accessKeyId: ROOT_SESSION_KEY,
};

describe('joinSession', () => {
  it('joins a call of the session in its member account while it lasts, with the task policy verdict', () => {
    expect(joinSession(sessionCall(), session)).toEqual({
      kind: 'seen',
      session,
      taskPolicy: 'within',
    });
    expect(joinSession(sessionCall({ eventName: 'DeleteBucket' }), session)).toMatchObject({
      kind: 'seen',
      taskPolicy: 'outside',
    });
  });

  it('joins no call whose record does not say it was made in a root session, as root would call', () => {
    // A root console session carries a temporary key too: looking each of its calls up would add
    // a call before every alert, for sessions no AssumeRoot opened.
    expect(joinSession(sessionCall({ userIdentity: withoutFlag }), session)).toBeUndefined();
    expect(sessionAccessKeyOf(sessionCall({ userIdentity: withoutFlag }))).toBeUndefined();
  });

  it('says a flagged session was not seen when nothing is remembered under its key', () => {
    expect(joinSession(sessionCall(), undefined)).toEqual({
      kind: 'unseen',
      accessKeyId: ROOT_SESSION_KEY,
      lookup: 'none-remembered',
    });
    expect(joinSession(sessionCall(), undefined, true)).toMatchObject({ lookup: 'failed' });
  });

  it("says nothing of root's own console session, which no AssumeRoot opens", () => {
    expect(joinSession(toTrailEvent(rootRecord()), undefined)).toBeUndefined();
    expect(joinSession(sessionCall({ userIdentity: withoutFlag }), undefined)).toBeUndefined();
  });

  it('does not join a session found under the key that names another account or another time', () => {
    const elsewhere = sessionCall({ recipientAccountId: '777788889999' });
    const later = sessionCall({ eventTime: '2026-05-04T10:00:00Z' });
    const earlier = sessionCall({ eventTime: '2026-05-04T08:00:00Z' });
    for (const event of [elsewhere, later, earlier]) {
      expect(joinSession(event, session)).toMatchObject({ kind: 'unseen' });
    }
    // Within the clock skew allowed between the two records, it joins.
    expect(joinSession(sessionCall({ eventTime: '2026-05-04T09:31:00Z' }), session)).toMatchObject({
      kind: 'seen',
    });
  });

  it('joins no event that is not a root call: the AssumeRoot itself, an IAM user, AWS acting for root', () => {
    expect(sessionAccessKeyOf(assumeRoot)).toBeUndefined();
    expect(joinSession(assumeRoot, session)).toBeUndefined();
    const service = sessionCall({
      userIdentity: {
        ...withoutFlag,
        invokedBy: 'cloudformation.amazonaws.com',
        assumedRoot: 'true',
      },
    });
    expect(joinSession(service, session)).toBeUndefined();
  });

  it('looks up the key of a record that says it is a session, in either place AWS writes the flag', () => {
    expect(sessionAccessKeyOf(sessionCall())).toBe(ROOT_SESSION_KEY);
    const inContext = { ...withoutFlag, sessionContext: { assumedRoot: 'true' } };
    expect(sessionAccessKeyOf(sessionCall({ userIdentity: inContext }))).toBe(ROOT_SESSION_KEY);
    expect(joinSession(sessionCall({ userIdentity: inContext }), session)).toMatchObject({
      kind: 'seen',
    });
    const notAKey = { ...withoutFlag, accessKeyId: 'x#y', assumedRoot: 'true' };
    expect(sessionAccessKeyOf(sessionCall({ userIdentity: notAKey }))).toBeUndefined();
    expect(joinSession(sessionCall({ userIdentity: notAKey }), session)).toEqual({
      kind: 'unseen',
      accessKeyId: undefined,
      lookup: 'none-remembered',
    });
  });
});

describe('SessionJoiner', () => {
  it('knows the sessions of its own batch at once, whatever their order, and stores them for later batches', async () => {
    const store = new MemoryRootSessions();
    const first = new SessionJoiner(store);
    await first.remember([sessionCall(), assumeRoot], NOW);

    expect(await first.join(sessionCall())).toMatchObject({ kind: 'seen' });
    expect(await new SessionJoiner(store).join(sessionCall())).toMatchObject({ kind: 'seen' });
    expect(await new SessionJoiner(new MemoryRootSessions()).join(sessionCall())).toMatchObject({
      kind: 'unseen',
    });
  });

  it('judges without the session when the store cannot be read, and logs it escaped', async () => {
    const logger = recordingLogger();
    const broken: RootSessionStore = {
      remember: () => Promise.reject(new Error('ProvisionedThroughputExceeded \u202e')),
      find: () => Promise.reject(new Error('ProvisionedThroughputExceeded \u202e')),
    };
    const joiner = new SessionJoiner(broken, logger);

    await joiner.remember([assumeRoot], NOW);
    expect(await new SessionJoiner(broken, logger).join(sessionCall())).toEqual({
      kind: 'unseen',
      accessKeyId: ROOT_SESSION_KEY,
      lookup: 'failed',
    });
    // Its own batch still knows the session it could not store.
    expect(await joiner.join(sessionCall())).toMatchObject({ kind: 'seen' });
    const messages = logger.lines.map((line) => line.message);
    expect(messages).toContain(
      'Root session not remembered; its calls will say no AssumeRoot was seen',
    );
    expect(messages).toContain('Root sessions unreadable; the event is judged without its session');
    expect(JSON.stringify(logger.lines)).not.toContain('\u202e');
  });
});
