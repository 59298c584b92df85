import { describe, expect, it } from 'vitest';
import { iamUserRecord } from '../../rules/cases.js';
import { configChangeOf } from '../../src/config-watch/config-change-event.js';
import { type CloudTrailRecord, toTrailEvent } from '../../src/intake/trail-event.js';

const PARAMETER = '/root-monitor/config';
const OWN_ACCOUNT = '111122223333';
const MEMBER_ACCOUNT = '444455556666';

/** A PutParameter on the configuration's name, recorded in `recipientAccountId`'s trail. */
const putParameter = (overrides: CloudTrailRecord = {}) =>
  toTrailEvent(
    iamUserRecord({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'PutParameter',
      requestParameters: { name: PARAMETER },
      recipientAccountId: OWN_ACCOUNT,
      ...overrides,
    }),
  );

describe('configChangeOf, by account', () => {
  it('recognises a write to the parameter in its own account', () => {
    expect(configChangeOf(putParameter(), PARAMETER, OWN_ACCOUNT)).toMatchObject({
      kind: 'written',
      parameters: [PARAMETER],
    });
  });

  it("recognises another account's principal writing this account's parameter", () => {
    const crossAccount = putParameter({
      userIdentity: { type: 'AssumedRole', accountId: MEMBER_ACCOUNT },
    });

    expect(configChangeOf(crossAccount, PARAMETER, OWN_ACCOUNT)).toMatchObject({
      kind: 'written',
    });
  });

  it("ignores a same-named parameter written in another account: it is not the monitor's", () => {
    const inMember = putParameter({ recipientAccountId: MEMBER_ACCOUNT });

    expect(configChangeOf(inMember, PARAMETER, OWN_ACCOUNT)).toBeUndefined();
  });

  it('takes the account from the envelope when the record names none', () => {
    const detail = iamUserRecord({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'DeleteParameter',
      requestParameters: { name: PARAMETER },
      recipientAccountId: undefined,
      userIdentity: { type: 'IAMUser' },
    });
    const forwarded = (account: string) => toTrailEvent(detail, { account });

    expect(configChangeOf(forwarded(MEMBER_ACCOUNT), PARAMETER, OWN_ACCOUNT)).toBeUndefined();
    expect(configChangeOf(forwarded(OWN_ACCOUNT), PARAMETER, OWN_ACCOUNT)).toMatchObject({
      kind: 'deleted',
    });
  });

  it('announces rather than drops when either account is unknown', () => {
    const nameless = toTrailEvent(
      iamUserRecord({
        eventSource: 'ssm.amazonaws.com',
        eventName: 'PutParameter',
        requestParameters: { name: PARAMETER },
        recipientAccountId: undefined,
        userIdentity: { type: 'IAMUser' },
      }),
    );

    expect(configChangeOf(nameless, PARAMETER, OWN_ACCOUNT)).toMatchObject({ kind: 'written' });
    expect(
      configChangeOf(putParameter({ recipientAccountId: MEMBER_ACCOUNT }), PARAMETER, undefined),
    ).toMatchObject({ kind: 'written' });
  });
});
