import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { iamUserRecord, rootRecord } from '../../rules/cases.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { useMoto } from '../support/aws-env.js';
import { createBusWithRules, createRecorder, putAll } from '../support/event-bus.js';
import { configChangePattern } from './config-change-pattern.js';

useMoto();

const PARAMETER = '/root-monitor/config';
const ARN = `arn:aws:ssm:us-east-1:111122223333:parameter${PARAMETER}`;

interface Case {
  name: string;
  delivered: boolean;
  record: CloudTrailRecord;
}

/** An SSM call recorded by CloudTrail, by an IAM user unless said otherwise. */
const ssm = (
  name: string,
  delivered: boolean,
  eventName: string,
  requestParameters: Record<string, unknown>,
  overrides: CloudTrailRecord = {},
): Case => ({
  name,
  delivered,
  record: iamUserRecord({
    eventID: name,
    eventSource: 'ssm.amazonaws.com',
    eventName,
    requestParameters,
    ...overrides,
  }),
});

const CASES: Case[] = [
  ssm('PutParameter by name', true, 'PutParameter', { name: PARAMETER, overwrite: true }),
  ssm('PutParameter by ARN', true, 'PutParameter', { name: ARN }),
  ssm(
    'PutParameter that failed',
    true,
    'PutParameter',
    { name: PARAMETER },
    { errorCode: 'AccessDenied' },
  ),
  ssm(
    'PutParameter by root',
    true,
    'PutParameter',
    { name: PARAMETER },
    {
      userIdentity: rootRecord().userIdentity,
    },
  ),
  ssm('DeleteParameter', true, 'DeleteParameter', { name: PARAMETER }),
  ssm('DeleteParameters naming it among others', true, 'DeleteParameters', {
    names: ['/app/db-url', PARAMETER],
  }),
  ssm('LabelParameterVersion', true, 'LabelParameterVersion', {
    name: PARAMETER,
    parameterVersion: 3,
    labels: ['reviewed'],
  }),
  ssm('UnlabelParameterVersion', true, 'UnlabelParameterVersion', {
    name: PARAMETER,
    parameterVersion: 3,
    labels: ['reviewed'],
  }),
  ssm('PutParameter on another parameter', false, 'PutParameter', { name: '/app/db-url' }),
  ssm('PutParameter on a parameter whose name starts the same', false, 'PutParameter', {
    name: `${PARAMETER}-old`,
  }),
  ssm('PutParameter on a parameter below it', false, 'PutParameter', { name: `${PARAMETER}/x` }),
  ssm('PutParameter on the same name under another path', false, 'PutParameter', {
    name: `/other${PARAMETER}`,
  }),
  ssm('DeleteParameters of other parameters', false, 'DeleteParameters', {
    names: ['/app/db-url', '/app/api-key'],
  }),
  ssm('GetParameter reads it', false, 'GetParameter', { name: PARAMETER }, { readOnly: true }),
  ssm('AddTagsToResource on it', false, 'AddTagsToResource', {
    resourceType: 'Parameter',
    resourceId: PARAMETER,
  }),
];

/** The calls as CloudTrail puts them on the bus, in the account of whoever puts them. */
const ENTRIES = CASES.map(({ record }) => ({
  Source: 'aws.ssm',
  DetailType: 'AWS API Call via CloudTrail',
  Detail: JSON.stringify(record),
}));

/** The account moto puts events in: the one in the ARNs it hands out. */
const accountOf = (arn: string): string => arn.split(':')[4] ?? '';

describe('the configuration-change EventBridge pattern (template.yaml)', () => {
  it("admits every write to the parameter, by name or ARN, and no other parameter's", async () => {
    const events = new EventBridgeClient({ region: 'us-east-1' });
    const recorder = await createRecorder(new SQSClient({ region: 'us-east-1' }));
    const bus = await createBusWithRules(
      events,
      [configChangePattern(PARAMETER, accountOf(recorder.arn))],
      recorder.arn,
    );

    await putAll(events, bus.name, ENTRIES);

    const arrived = (await recorder.drain())
      .map((event) => (event.detail as { eventID: string }).eventID)
      .sort();
    expect(arrived).toEqual(
      CASES.filter((c) => c.delivered)
        .map((c) => c.name)
        .sort(),
    );
  });

  it("admits none of them from another account, whose same-named parameter is not the monitor's", async () => {
    const events = new EventBridgeClient({ region: 'us-east-1' });
    const recorder = await createRecorder(new SQSClient({ region: 'us-east-1' }));
    const ownAccount = accountOf(recorder.arn);
    const stackAccount = ownAccount === '444455556666' ? '777788889999' : '444455556666';
    // The stack's pattern and, as a witness that the bus delivers, one naming the sender's account.
    const bus = await createBusWithRules(
      events,
      [configChangePattern(PARAMETER, stackAccount)],
      recorder.arn,
    );
    const witness = await createBusWithRules(
      events,
      [configChangePattern(PARAMETER, ownAccount)],
      recorder.arn,
    );

    await putAll(events, bus.name, ENTRIES);
    await putAll(events, witness.name, ENTRIES.slice(0, 1));

    const arrived = (await recorder.drain()).map(
      (event) => (event.detail as { eventID: string }).eventID,
    );
    expect(arrived).toEqual([CASES[0]?.name]);
  });
});
