import { describe, expect, it } from 'vitest';
import { type PolicyRequest, policyAllows } from '../../src/health/policy-allows.js';

const ALARM = 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:root-monitor-function-errors';

const cloudWatch = (context: Record<string, string>): Omit<PolicyRequest, 'action'> => ({
  principal: { service: 'cloudwatch.amazonaws.com' },
  context,
  missingKeys: 'absent',
});

const allowCloudWatch = (condition?: object) => ({
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      ...(condition === undefined ? {} : { Condition: condition }),
    },
  ],
});

describe('Key policies, evaluated as IAM evaluates them', () => {
  it('allows what an Allow names, with conditions that hold in the request', () => {
    const policy = allowCloudWatch({
      StringEquals: { 'aws:SourceAccount': '111122223333' },
      ArnLike: {
        'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:root-monitor-*',
      },
    });

    expect(
      policyAllows(policy, {
        ...cloudWatch({ 'aws:SourceAccount': '111122223333', 'aws:SourceArn': ALARM }),
        action: 'kms:GenerateDataKey',
      }),
    ).toEqual({ allowed: true });
    expect(
      policyAllows(policy, {
        ...cloudWatch({
          'aws:SourceAccount': '111122223333',
          'aws:SourceArn': `${ALARM}x`.replace('root-monitor', 'other'),
        }),
        action: 'kms:GenerateDataKey',
      }).allowed,
    ).toBe(false);
  });

  it('refuses when a condition names a key the request lacks, and IfExists lets it pass', () => {
    const request = { ...cloudWatch({}), action: 'kms:Decrypt' };

    expect(
      policyAllows(allowCloudWatch({ StringEquals: { 'aws:SourceArn': ALARM } }), request).allowed,
    ).toBe(false);
    expect(
      policyAllows(allowCloudWatch({ StringEqualsIfExists: { 'aws:SourceArn': ALARM } }), request)
        .allowed,
    ).toBe(true);
  });

  it('lets a Deny win, and counts a Deny it cannot evaluate', () => {
    const deny = (condition: object) => ({
      Statement: [
        ...allowCloudWatch().Statement,
        {
          Sid: 'No',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:*',
          Resource: '*',
          Condition: condition,
        },
      ],
    });
    const request = {
      ...cloudWatch({ 'aws:SourceAccount': '111122223333' }),
      action: 'kms:Decrypt',
    };

    expect(
      policyAllows(deny({ StringEquals: { 'aws:SourceAccount': '111122223333' } }), request),
    ).toEqual({
      allowed: false,
      deniedBy: 'No',
    });
    expect(
      policyAllows(deny({ StringEquals: { 'aws:SourceAccount': '444455556666' } }), request),
    ).toEqual({
      allowed: true,
    });
    expect(
      policyAllows(deny({ DateLessThan: { 'aws:CurrentTime': '2100-01-01' } }), request).allowed,
    ).toBe(false);
  });

  it('admits an account principal for its roles, and matches actions by wildcard', () => {
    const policy = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    };

    expect(
      policyAllows(policy, {
        principal: {
          aws: [
            'arn:aws:iam::111122223333:role/x',
            'arn:aws:iam::111122223333:root',
            '111122223333',
          ],
        },
        action: 'kms:GenerateDataKey',
        context: {},
        missingKeys: 'absent',
      }).allowed,
    ).toBe(true);
  });
});
