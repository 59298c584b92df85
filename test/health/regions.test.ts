import {
  CloudFormationClient,
  CreateStackCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { EventRules } from '../../src/aws/health/event-rules.js';
import { MonitorStack } from '../../src/aws/health/monitor-stack.js';
import { AccountRegions } from '../../src/aws/health/regions.js';
import { IamRoles } from '../../src/aws/health/roles.js';
import { regionsCheck } from '../../src/health/regions.js';
import { loadTemplate, resourceOf } from '../deploy/cloudformation-template.js';
import { useMoto } from '../support/aws-env.js';
import { deployTemplateResources, standInFunctions } from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';

useMoto();

const HOME = 'us-east-1';

const FORWARDER = loadTemplate('infra/region-forwarder.yaml');

/** Regions of the China and GovCloud partitions, which moto lists beside the others. */
const OTHER_PARTITION = /^(cn|us-gov)-/;

/**
 * moto's CloudFormation keeps a role's inline policy as a Python object, which moto's IAM then
 * returns in Python's notation; IAM holds JSON. Each is written back as the JSON it is (the
 * forwarder's policy holds no quote of its own).
 */
const keepInlinePoliciesAsJson = async (iam: IAMClient, RoleName: string): Promise<void> => {
  const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName }));
  for (const PolicyName of PolicyNames) {
    const { PolicyDocument = '' } = await iam.send(
      new GetRolePolicyCommand({ RoleName, PolicyName }),
    );
    const json = decodeURIComponent(PolicyDocument).replace(/'/g, '"');
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: json }));
  }
};
const ROOT_USAGE_PATTERN = resourceOf(FORWARDER, 'RootUsageForwardingRule').Properties
  ?.EventPattern;

/**
 * A fresh account with the monitor's stack at home and, in every enabled Region but the home one,
 * infra/region-forwarder.yaml deployed by moto's CloudFormation (its rule, target and role),
 * unless `forwarders` says otherwise for a Region: a state to put the rule in, or null for none.
 */
const accountWith = async (
  forwarders: Record<string, RuleState | null>,
  excludedRegions: string[] = [],
) => {
  const account = freshAccountId();
  const homeBusArn = `arn:aws:events:${HOME}:${account}:event-bus/default`;
  const { stackName } = await deployTemplateResources(
    account,
    ['RootUsageRule', 'RuleDeadLetterQueue'],
    {
      replaced: standInFunctions('RootMonitorFunction'),
    },
  );
  const eventsIn = (region: string) => inAccount(new EventBridgeClient({ region }), account);
  const regions = new AccountRegions(inAccount(new EC2Client({ region: HOME }), account));
  const enabled = await regions.enabledRegions();
  const forwarderRules = new Map<string, string>();
  const iam = inAccount(new IAMClient({ region: HOME }), account);
  const forward = async (region: string) => {
    const state = region in forwarders ? forwarders[region] : undefined;
    if (state === null) return;
    const cloudformation = inAccount(new CloudFormationClient({ region }), account);
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'root-monitor-forwarder',
        TemplateBody: JSON.stringify(FORWARDER),
        Parameters: [{ ParameterKey: 'MonitoringAccountId', ParameterValue: account }],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const { StackResourceSummaries = [] } = await cloudformation.send(
      new ListStackResourcesCommand({ StackName: 'root-monitor-forwarder' }),
    );
    const rule =
      StackResourceSummaries.find(
        ({ LogicalResourceId }) => LogicalResourceId === 'RootUsageForwardingRule',
      )?.PhysicalResourceId ?? '';
    forwarderRules.set(region, rule);
    const role =
      StackResourceSummaries.find(({ LogicalResourceId }) => LogicalResourceId === 'ForwardingRole')
        ?.PhysicalResourceId ?? '';
    await keepInlinePoliciesAsJson(iam, role);
    if (state !== undefined) {
      await eventsIn(region).send(
        new PutRuleCommand({
          Name: rule,
          EventPattern: JSON.stringify(ROOT_USAGE_PATTERN),
          State: state,
        }),
      );
    }
  };
  await Promise.all(
    enabled.filter((name) => name !== HOME && !OTHER_PARTITION.test(name)).map(forward),
  );
  const check = regionsCheck(
    regions,
    new EventRules(eventsIn),
    new IamRoles(iam),
    new MonitorStack(inAccount(new CloudFormationClient({ region: HOME }), account), stackName),
    // moto lists the Regions of every partition; an account of the aws partition sees only its own.
    {
      homeRegion: HOME,
      homeBusArn,
      excludedRegions: [
        ...excludedRegions,
        ...enabled.filter((name) => OTHER_PARTITION.test(name)),
      ],
    },
  );
  /** The forwarder of a Region: its rule's name, and its target as the template makes it. */
  const forwarderIn = async (region: string) => {
    const name = forwarderRules.get(region) ?? '';
    const { Targets = [] } = await eventsIn(region).send(
      new ListTargetsByRuleCommand({ Rule: name }),
    );
    const target = Targets[0];
    return { name, target, roleName: target?.RoleArn?.split('/').at(-1) ?? '' };
  };
  return { check, enabled, eventsIn, iam, forwarderIn };
};

describe('Check: regions', () => {
  it("passes when every enabled Region forwards to the home bus as the forwarder's template makes it", async () => {
    const { check, enabled } = await accountWith({});

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: true,
      verdict: `all ${enabled.filter((name) => !OTHER_PARTITION.test(name)).length - 1} enabled Regions besides ${HOME} forward root events to it, each with the root-usage pattern, the event itself and a role that may put it on the bus; excluded on purpose: cn-north-1, cn-northwest-1, us-gov-east-1, us-gov-west-1`,
    });
  });

  it('fails naming a Region without a forwarder and one whose forwarder is disabled', async () => {
    const { check } = await accountWith({ 'eu-west-1': null, 'ap-south-1': 'DISABLED' });

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(
        /^2 of \d+ enabled Regions do not forward root events to us-east-1, so root activity there is never alerted: root-monitor-forwarder-RootUsageForwardingRule-\w+ is DISABLED in ap-south-1; no forwarder rule in eu-west-1; excluded on purpose: /,
      ),
      fix: expect.stringContaining('infra/region-forwarder.yaml'),
    });
  });

  it('passes when the only Region without a forwarder is excluded on purpose, and says so', async () => {
    const { check } = await accountWith({ 'eu-west-1': null }, ['eu-west-1']);

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: true,
      verdict: expect.stringContaining(
        'excluded on purpose: cn-north-1, cn-northwest-1, eu-west-1',
      ),
    });
  });

  it('fails for a forwarder that skips read-only calls, as the rule check does at home', async () => {
    const { check } = await accountWith({ 'eu-west-1': 'ENABLED' });

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('is ENABLED, which skips read-only calls'),
    });
  });

  it('fails for a forwarder in another Region whose pattern was narrowed, or whose target is given a constant Input', async () => {
    const { check, eventsIn, forwarderIn } = await accountWith({});
    const narrowed = { detail: { userIdentity: { type: ['Root'] }, eventName: ['ConsoleLogin'] } };
    const ireland = await forwarderIn('eu-west-1');
    const mumbai = await forwarderIn('ap-south-1');
    await eventsIn('eu-west-1').send(
      new PutRuleCommand({
        Name: ireland.name,
        EventPattern: JSON.stringify(narrowed),
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      }),
    );
    await eventsIn('ap-south-1').send(
      new PutTargetsCommand({
        Rule: mumbai.name,
        Targets: [
          {
            ...mumbai.target,
            Id: mumbai.target?.Id ?? '',
            Arn: mumbai.target?.Arn ?? '',
            Input: '{}',
          },
        ],
      }),
    );

    const finding = await check.run(new Date());

    expect(finding.ok).toBe(false);
    expect(finding.verdict).toContain(
      `${ireland.name} matches ${JSON.stringify(narrowed)}, not the root-usage pattern in eu-west-1`,
    );
    expect(finding.verdict).toContain(
      `${mumbai.name} sends the bus the constant Input {}, not the event in ap-south-1`,
    );
  });

  it("fails for a forwarder whose role may no longer put events on the bus, or is no longer EventBridge's", async () => {
    const { check, iam, forwarderIn } = await accountWith({});
    const ireland = await forwarderIn('eu-west-1');
    const mumbai = await forwarderIn('ap-south-1');
    const { PolicyNames = [] } = await iam.send(
      new ListRolePoliciesCommand({ RoleName: ireland.roleName }),
    );
    for (const PolicyName of PolicyNames) {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: ireland.roleName, PolicyName }));
    }
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: mumbai.roleName,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );

    const finding = await check.run(new Date());

    expect(finding.ok).toBe(false);
    expect(finding.verdict).toContain(
      `${ireland.name}'s role ${ireland.target?.RoleArn} may not put events on arn:aws:events:us-east-1:`,
    );
    expect(finding.verdict).toContain(
      `${mumbai.name}'s role ${mumbai.target?.RoleArn} does not let EventBridge assume it in ap-south-1`,
    );
  });

  it('counts only enabled Regions: an opt-in Region the account has not enabled needs no forwarder', async () => {
    const { enabled } = await accountWith({ 'eu-west-1': null });

    // moto lists opt-in Regions (ap-east-1, me-south-1...) as not opted in.
    expect(enabled).toContain('eu-west-1');
    expect(enabled).not.toContain('ap-east-1');
  });
});
