import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventRules } from '../../src/aws/health/event-rules.js';
import { MonitorStack } from '../../src/aws/health/monitor-stack.js';
import { ruleCheck } from '../../src/health/rule.js';
import { loadTemplate, resourceOf } from '../deploy/cloudformation-template.js';
import { useMoto } from '../support/aws-env.js';
import {
  ALIAS,
  deployTemplateResources,
  standInFunctions,
} from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';

useMoto();

/** The root-usage pattern exactly as template.yaml writes it. */
const ROOT_USAGE_PATTERN = resourceOf(loadTemplate('template.yaml'), 'RootUsageRule').Properties
  ?.EventPattern;

/**
 * The stack's root-usage and configuration-change rules, their dead-letter queue and the function
 * they invoke, deployed from template.yaml in moto (the function a plain stand-in: moto runs no
 * SAM transform).
 */
const monitorRules = async () => {
  const account = freshAccountId();
  const { stackName, physicalId } = await deployTemplateResources(
    account,
    ['RootUsageRule', 'ConfigChangeRule', 'RuleDeadLetterQueue'],
    { replaced: standInFunctions('RootMonitorFunction', 'GuardFunction') },
  );
  const events = inAccount(new EventBridgeClient(), account);
  const check = ruleCheck(
    new EventRules((region) => inAccount(new EventBridgeClient({ region }), account)),
    new MonitorStack(inAccount(new CloudFormationClient(), account), stackName),
  );
  return {
    account,
    events,
    check,
    rule: await physicalId('RootUsageRule'),
    // What the rule invokes: the function's alias, as the template's target says.
    functionArn: `arn:aws:lambda:us-east-1:${account}:function:${await physicalId('RootMonitorFunction')}:${ALIAS}`,
  };
};

describe('Check: rule', () => {
  it("passes when every rule is as the stack's template declares it", async () => {
    const { check } = await monitorRules();

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict:
        "the stack's 2 rules are as it declares them (state, pattern or schedule, targets given the event): RootUsageRule ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, ConfigChangeRule ENABLED",
    });
  });

  it("fails for a narrowed pattern, with the stack's pattern in the fix", async () => {
    const { check, events, rule } = await monitorRules();
    const narrowed = { detail: { userIdentity: { type: ['Root'] }, eventName: ['ConsoleLogin'] } };
    await events.send(
      new PutRuleCommand({
        Name: rule,
        EventPattern: JSON.stringify(narrowed),
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      }),
    );

    const finding = await check.run(new Date());

    expect(finding).toEqual({
      ok: false,
      verdict: `rule RootUsageRule (${rule}) matches ${JSON.stringify(narrowed)}, not the stack's pattern: events the stack's pattern takes may never reach its target`,
      fix: `aws events put-rule --name ${rule} --event-pattern '${JSON.stringify(ROOT_USAGE_PATTERN)}' --state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; then look in CloudTrail for who called PutRule, PutTargets, DisableRule, RemoveTargets or DeleteRule`,
    });
  });

  it('fails for a constant Input on the target: the function would judge {} instead of the event', async () => {
    const { check, events, rule, functionArn } = await monitorRules();
    await events.send(
      new PutTargetsCommand({
        Rule: rule,
        Targets: [{ Id: 'root-monitor-function', Arn: functionArn, Input: '{}' }],
      }),
    );

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: `rule RootUsageRule (${rule}) target root-monitor-function is given the constant Input {}, not the event: what it judges is no longer what happened`,
      fix: expect.stringContaining(
        `aws events put-targets --rule ${rule} --targets '[{"Id":"root-monitor-function","Arn":"${functionArn}"`,
      ),
    });
  });

  it('fails for an InputTransformer or an InputPath on the target', async () => {
    const transformed = await monitorRules();
    const narrowedPath = await monitorRules();
    await transformed.events.send(
      new PutTargetsCommand({
        Rule: transformed.rule,
        Targets: [
          {
            Id: 'root-monitor-function',
            Arn: transformed.functionArn,
            InputTransformer: {
              InputPathsMap: { d: '$.detail' },
              InputTemplate: '{"detail": <d>}',
            },
          },
        ],
      }),
    );
    await narrowedPath.events.send(
      new PutTargetsCommand({
        Rule: narrowedPath.rule,
        Targets: [
          { Id: 'root-monitor-function', Arn: narrowedPath.functionArn, InputPath: '$.detail' },
        ],
      }),
    );

    expect((await transformed.check.run(new Date())).verdict).toContain(
      'target root-monitor-function is given a reshaped event (InputTransformer',
    );
    expect((await narrowedPath.check.run(new Date())).verdict).toContain(
      'target root-monitor-function is given only the part $.detail (InputPath)',
    );
  });

  it('fails for a rule disabled, or on plain ENABLED, which skips read-only calls', async () => {
    const disabled = await monitorRules();
    const plain = await monitorRules();
    for (const [{ events, rule }, State] of [
      [disabled, 'DISABLED'],
      [plain, 'ENABLED'],
    ] as const) {
      await events.send(
        new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify(ROOT_USAGE_PATTERN), State }),
      );
    }

    expect((await disabled.check.run(new Date())).verdict).toBe(
      `rule RootUsageRule (${disabled.rule}) is DISABLED, not ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS: no event reaches its target`,
    );
    expect((await plain.check.run(new Date())).verdict).toBe(
      `rule RootUsageRule (${plain.rule}) is ENABLED, so read-only root calls never reach its target`,
    );
  });

  it('fails for a target the stack does not declare, or one that invokes something else', async () => {
    const added = await monitorRules();
    const swapped = await monitorRules();
    const elsewhere = 'arn:aws:sqs:us-east-1:111122223333:elsewhere';
    await added.events.send(
      new PutTargetsCommand({ Rule: added.rule, Targets: [{ Id: 'copy', Arn: elsewhere }] }),
    );
    await swapped.events.send(
      new PutTargetsCommand({
        Rule: swapped.rule,
        Targets: [{ Id: 'root-monitor-function', Arn: elsewhere }],
      }),
    );

    expect(await added.check.run(new Date())).toMatchObject({
      ok: false,
      verdict: `rule RootUsageRule (${added.rule}) also sends to ${elsewhere} (target copy), which the stack does not declare`,
      fix: expect.stringContaining(`aws events remove-targets --rule ${added.rule} --ids copy`),
    });
    expect((await swapped.check.run(new Date())).verdict).toBe(
      `rule RootUsageRule (${swapped.rule}) target root-monitor-function invokes ${elsewhere}, not the stack's ${swapped.functionArn}`,
    );
  });

  it('fails when the rule is gone, with the commands that recreate it', async () => {
    const { check, events, rule } = await monitorRules();
    await events.send(new RemoveTargetsCommand({ Rule: rule, Ids: ['root-monitor-function'] }));
    await events.send(new DeleteRuleCommand({ Name: rule }));

    expect(await check.run(new Date())).toMatchObject({
      ok: false,
      verdict: `rule RootUsageRule (${rule}) does not exist in us-east-1: nothing it matched reaches its target`,
      fix: expect.stringMatching(
        /^recreate it as the stack declares it: aws events put-rule .* && aws events put-targets /,
      ),
    });
  });
});
