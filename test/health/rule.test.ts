import {
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventRules } from '../../src/aws/health/event-rules.js';
import { ruleCheck } from '../../src/health/rule.js';
import { useMoto } from '../support/aws-env.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';

useMoto();

const RULE = 'root-monitor-RootUsageRule-ABC123';

/** A fresh account whose root-usage rule has this state and these targets (none: no rule). */
const accountWith = async (rule?: { state: RuleState; targets: string[] }) => {
  const account = freshAccountId();
  const functionArn = `arn:aws:lambda:us-east-1:${account}:function:root-monitor`;
  const events = inAccount(new EventBridgeClient(), account);
  if (rule !== undefined) {
    await events.send(
      new PutRuleCommand({
        Name: RULE,
        EventPattern: JSON.stringify({ detail: { userIdentity: { type: ['Root'] } } }),
        State: rule.state,
      }),
    );
    const targets = rule.targets.map((arn) => arn.replace('FUNCTION', functionArn));
    if (targets.length > 0) {
      await events.send(
        new PutTargetsCommand({
          Rule: RULE,
          Targets: targets.map((Arn, index) => ({ Id: `t${index}`, Arn })),
        }),
      );
    }
  }
  const rules = new EventRules((region) => inAccount(new EventBridgeClient({ region }), account));
  return ruleCheck(rules, { ruleName: RULE, functionArn, homeRegion: 'us-east-1' });
};

describe('Check: rule', () => {
  it('passes when the rule takes every management event and invokes the function', async () => {
    const check = await accountWith({
      state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      targets: ['FUNCTION'],
    });

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict: `the root-usage rule ${RULE} is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS and invokes the function`,
    });
  });

  it('fails when the rule is disabled', async () => {
    const check = await accountWith({ state: 'DISABLED', targets: ['FUNCTION'] });

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('is DISABLED: no root event reaches the function'),
      fix: expect.stringContaining('sam deploy'),
    });
  });

  it('fails when the rule is plain ENABLED: read-only root calls are skipped', async () => {
    const check = await accountWith({ state: 'ENABLED', targets: ['FUNCTION'] });

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('read-only root calls never reach the function'),
    });
  });

  it('fails when the rule no longer targets the function, naming what it targets', async () => {
    const check = await accountWith({
      state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      targets: ['arn:aws:sqs:us-east-1:111122223333:elsewhere'],
    });

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('(targets: arn:aws:sqs:us-east-1:111122223333:elsewhere)'),
    });
  });

  it('fails when the rule does not exist', async () => {
    const check = await accountWith();

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining(`${RULE} does not exist in us-east-1`),
    });
  });
});
