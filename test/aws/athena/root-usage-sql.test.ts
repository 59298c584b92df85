import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rootRecord, rootSignIn } from '../../../rules/cases.js';
import { CATALOG } from '../../../rules/index.js';
import { createTableSql } from '../../../src/aws/athena/ddl.js';
import { RECORD_COLUMNS, recordOf } from '../../../src/aws/athena/record-columns.js';
import { rootUsageQuerySql } from '../../../src/aws/athena/root-usage-query.js';
import { ROOT_USAGE, rootUsage } from '../../../src/engine/root-usage.js';
import { holdsFor, ROOT_USAGE_PREDICATE, sqlOf } from '../../../src/engine/root-usage-predicate.js';
import { toTrailEvent } from '../../../src/intake/trail-event.js';

const golden = (name: string): string =>
  readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

/** Records at the edges of the definition, besides every rule's own cases. */
const EDGES = [
  rootRecord(),
  rootSignIn(),
  rootRecord({ userIdentity: { type: 'Root', invokedBy: 'signin.amazonaws.com' } }),
  rootRecord({ userIdentity: { type: 'Root', invokedBy: 'console.amazonaws.com' } }),
  rootRecord({ userIdentity: { type: 'Root', invokedBy: 'elasticloadbalancing.amazonaws.com' } }),
  rootRecord({ userIdentity: { type: 'Root', invokedBy: 'AWS Internal' } }),
  rootRecord({ userIdentity: { type: 'Root', invokedBy: '' } }),
  rootRecord({ userIdentity: { type: 'Root', invokedBy: 7 } }),
  rootRecord({ eventType: 'AwsServiceEvent' }),
  rootRecord({ eventType: '' }),
  rootRecord({ eventType: undefined }),
  rootRecord({ userIdentity: { type: 'root' } }),
  rootRecord({ userIdentity: { type: 'IAMUser' } }),
  rootRecord({ userIdentity: 'Root' }),
  rootRecord({ userIdentity: undefined }),
  rootRecord({
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Ops/x' },
  }),
  rootRecord({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole' }),
  rootRecord({
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userIdentity: { type: 'AssumedRole' },
  }),
  rootRecord({
    eventSource: 'iam.amazonaws.com',
    eventName: 'AssumeRoot',
    userIdentity: { type: 'IAMUser' },
  }),
  ...[
    { accountId: '444455556666' },
    { accountId: '111122223333' },
    { accountId: '' },
    { accountId: null },
    { accountId: { nested: '444455556666' } },
    {},
  ].flatMap((requestParameters) =>
    [{ recipientAccountId: '111122223333' }, { recipientAccountId: '' }, {}].map((recipient) => ({
      ...rootRecord({
        eventSource: 'account.amazonaws.com',
        eventName: 'PutAlternateContact',
        userIdentity: { type: 'AssumedRole' },
        requestParameters,
      }),
      recipientAccountId: undefined,
      ...recipient,
    })),
  ),
  rootRecord({
    eventSource: 'account.amazonaws.com',
    eventName: 'PutAlternateContact',
    userIdentity: { type: 'AssumedRole' },
    requestParameters: null,
  }),
  rootRecord({
    eventSource: 'iam.amazonaws.com',
    eventName: 'EnableOrganizationsRootSessions',
    userIdentity: { type: 'AssumedRole' },
  }),
  rootRecord({
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListOrganizationsFeatures',
    userIdentity: { type: 'AssumedRole' },
  }),
];

describe('Athena SQL from the engine', () => {
  describe('the root-usage condition', () => {
    it('may keep, never drop: a member account written as a JSON number is read as text', () => {
      const record = rootRecord({
        eventSource: 'account.amazonaws.com',
        eventName: 'PutAlternateContact',
        userIdentity: { type: 'AssumedRole' },
        requestParameters: { accountId: 444455556666 },
      });
      expect(holdsFor(ROOT_USAGE_PREDICATE, record)).toBe(true);
      expect(rootUsage(toTrailEvent(record)).root).toBe(false);
    });

    it.each(
      [...CATALOG.flatMap((rule) => rule.tests().map((ruleCase) => ruleCase.record)), ...EDGES].map(
        (record, index) => [index, record] as const,
      ),
    )('judges record %i as the engine does', (_index, record) => {
      expect(holdsFor(ROOT_USAGE_PREDICATE, record)).toBe(rootUsage(toTrailEvent(record)).root);
    });

    it("is written from the engine's definition, every value of it", () => {
      const sql = sqlOf(ROOT_USAGE_PREDICATE);

      for (const value of [
        ROOT_USAGE.identityType,
        ROOT_USAGE.serviceEventType,
        ...ROOT_USAGE.consoleInvokers,
        ROOT_USAGE.sessionIssued.eventSource,
        ROOT_USAGE.sessionIssued.eventName,
        ROOT_USAGE.memberRecoveryChanged.eventSource,
        ...ROOT_USAGE.memberRecoveryChanged.eventNames,
        `$.${ROOT_USAGE.memberRecoveryChanged.memberAccountParameter}`,
        ROOT_USAGE.rootAccessSwitched.eventSource,
        ...ROOT_USAGE.rootAccessSwitched.eventNames,
      ]) {
        expect(sql).toContain(`'${value}'`);
      }
    });
  });

  it('rebuilds from its columns the fields the engine reads', () => {
    const record = rootSignIn({
      userIdentity: {
        type: 'Root',
        arn: 'arn:aws:iam::111122223333:root',
        invokedBy: 'signin.amazonaws.com',
        sessionContext: { assumedRoot: 'true', attributes: { mfaAuthenticated: 'false' } },
      },
      requestParameters: { userName: 'AWS ROOT USER' },
      readOnly: 'false',
    });
    const values = RECORD_COLUMNS.map(({ path, json }) => {
      let value: unknown = record;
      for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
      if (value === undefined || value === null) return undefined;
      return json ? JSON.stringify(value) : String(value);
    });

    const rebuilt = toTrailEvent(recordOf(values));
    const original = toTrailEvent(record);

    expect({ ...rebuilt, record: undefined }).toEqual({ ...original, record: undefined });
  });

  it('prints the DDL of an organization trail (golden)', () => {
    expect(
      createTableSql({
        table: 'security.cloudtrail_org',
        bucket: 'org-trail-bucket',
        prefix: 'trails',
        organizationId: 'o-abcdef1234',
        accounts: ['111122223333', '444455556666'],
        regions: ['us-east-1', 'eu-west-1'],
        since: '2024-01-01',
      }),
    ).toBe(golden('ddl-organization.sql'));
  });

  it('prints the DDL of a single-account trail (golden)', () => {
    expect(
      createTableSql({
        table: 'cloudtrail_logs',
        bucket: 'account-trail',
        prefix: '',
        accounts: ['111122223333'],
        regions: ['us-east-1'],
        since: '2025-06-01',
      }),
    ).toBe(golden('ddl-account.sql'));
  });

  it('prints the root-usage query for a range of days (golden)', () => {
    expect(
      rootUsageQuerySql({
        table: 'security.cloudtrail_org',
        since: '2026-09-01',
        until: '2026-09-30',
        accounts: ['111122223333'],
        regions: ['us-east-1', 'eu-west-1'],
      }),
    ).toBe(golden('root-usage-query.sql'));
  });
});
