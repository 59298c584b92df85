import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { healthChecksOnAws } from '../../src/aws/health/health-checks-on-aws.js';
import { Trails } from '../../src/aws/health/trails.js';
import type { Check } from '../../src/health/check.js';
import { readHealthSettings } from '../../src/health/health-settings.js';
import { STACK_READ_ACTIONS } from '../../src/health/ports.js';
import { runChecks } from '../../src/health/run-checks.js';
import { trailCheck } from '../../src/health/trail.js';
import { deniedInItsProtocol } from '../support/fault-proxy.js';
import { deployTemplateResources } from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const passing: Check = {
  id: 'config',
  actions: ['ssm:GetParameter'],
  run: async () => ({ ok: true, verdict: 'fine' }),
};

describe('runChecks', () => {
  it('answers in the order given, whatever order the checks finish in', async () => {
    const slow: Check = {
      id: 'trail',
      actions: [],
      run: () =>
        new Promise((resolve) => setTimeout(() => resolve({ ok: true, verdict: 'slow' }), 20)),
    };

    const results = await runChecks([slow, passing], new Date());

    expect(results.map(({ id }) => id)).toEqual(['trail', 'config']);
  });

  it('fails a check whose API cannot be reached, naming the error and the actions it needs', async () => {
    // Nothing listens on port 9 of the loopback: the SDK's own connection error, with no retries.
    const unreachable = new CloudTrailClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });

    const [result] = await runChecks([trailCheck(new Trails(unreachable)), passing], new Date());

    expect(result).toMatchObject({
      id: 'trail',
      ok: false,
      verdict: expect.stringMatching(/^could not check: \w+/),
      fix: 'let the caller use cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus, cloudtrail:GetEventSelectors, and check that the API answers',
    });
  });
});

describe('Every check denied its reads (the fault proxy answering as IAM refuses, in each protocol)', () => {
  const proxy = useFaultProxy();

  it('fails each check with the error and the permissions it needs, none throwing', async () => {
    const settings = readHealthSettings({
      MONITOR_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:111122223333:function:root-monitor:live',
      ROOT_USAGE_RULE_NAME: 'root-monitor-RootUsageRule',
      ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:root-monitor-alerts',
      MONITOR_QUEUE_ARNS: 'arn:aws:sqs:us-east-1:111122223333:root-monitor-OnFailureQueue',
      DEDUP_TABLE_NAME: 'root-monitor-dedup',
      CONFIG_PARAMETER: '/root-monitor/config',
      MONITOR_STACK_NAME: 'root-monitor',
    });
    proxy.setRule(deniedInItsProtocol);
    const seenBefore = proxy.seen.length;
    const motoEndpoint = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    let results: Awaited<ReturnType<typeof runChecks>>;
    try {
      results = await runChecks(healthChecksOnAws(settings), new Date());
    } finally {
      process.env.AWS_ENDPOINT_URL = motoEndpoint;
    }

    // Every service a check reads first was asked, and refused: the checks that compare with
    // the deployed stack read CloudFormation before anything else.
    expect(new Set(proxy.seen.slice(seenBefore).map(({ service }) => service))).toEqual(
      new Set(['cloudformation', 'cloudtrail', 'sqs', 'dynamodb', 'ssm']),
    );
    expect(results.map(({ id }) => id)).toEqual([
      'trail',
      'rule',
      'functions',
      'regions',
      'accounts',
      'backstop',
      'subscribers',
      'keys',
      'parked',
      'digests',
      'config',
      'drift',
    ]);
    for (const result of results) {
      expect(result, result.id).toMatchObject({
        ok: false,
        verdict: expect.stringMatching(
          /^could not check: \w+: .*is not authorized to perform: [a-z0-9]+:\w+/,
        ),
        fix: expect.stringMatching(/^let the caller use [a-z0-9]+:\w+/),
      });
    }
  });
});

describe('Each read of the deployed stack denied in turn (the fault proxy refusing it as IAM does)', () => {
  const proxy = useFaultProxy();

  /** The checks that compare with the deployed stack, the accounts check for its parameter. */
  const STACK_READERS = [
    'rule',
    'functions',
    'regions',
    'accounts',
    'backstop',
    'subscribers',
    'keys',
  ];

  it.each(STACK_READ_ACTIONS)(
    'names %s in the fix of every check it stops: granting the fix lets the check read',
    async (action) => {
      const accountId = freshAccountId();
      const { stackName } = await deployTemplateResources(accountId, ['RuleDeadLetterQueue']);
      const settings = readHealthSettings({
        MONITOR_FUNCTION_ARN: `arn:aws:lambda:us-east-1:${accountId}:function:root-monitor:live`,
        ROOT_USAGE_RULE_NAME: 'root-monitor-RootUsageRule',
        ALERT_TOPIC_ARN: `arn:aws:sns:us-east-1:${accountId}:root-monitor-alerts`,
        MONITOR_QUEUE_ARNS: `arn:aws:sqs:us-east-1:${accountId}:root-monitor-OnFailureQueue`,
        DEDUP_TABLE_NAME: 'root-monitor-dedup',
        CONFIG_PARAMETER: '/root-monitor/config',
        MONITOR_STACK_NAME: stackName,
      });
      proxy.setRule((request) =>
        `${request.service}:${request.operation}` === action
          ? deniedInItsProtocol(request)
          : undefined,
      );
      const motoEndpoint = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
      let results: Awaited<ReturnType<typeof runChecks>>;
      try {
        results = await runChecks(
          healthChecksOnAws(settings, (client) => inAccount(client, accountId)),
          new Date(),
        );
      } finally {
        process.env.AWS_ENDPOINT_URL = motoEndpoint;
      }

      const stopped = results.filter(({ verdict }) =>
        verdict.includes(`is not authorized to perform: ${action} `),
      );
      // Every check that reads the stack was stopped by the refusal (drift too, for DescribeStacks).
      expect(stopped.map(({ id }) => id)).toEqual(expect.arrayContaining(STACK_READERS));
      for (const result of stopped) {
        expect(result, result.id).toMatchObject({
          ok: false,
          fix: expect.stringMatching(new RegExp(`^let the caller use (.+, )?${action}(,|$)`)),
        });
      }
    },
  );
});
