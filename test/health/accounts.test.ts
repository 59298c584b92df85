import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { OrganizationForwarders } from '../../src/aws/health/organization.js';
import { AccountRegions } from '../../src/aws/health/regions.js';
import { accountsCheck, givenAccountsSettings } from '../../src/health/accounts.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

// moto reports every stack instance as CURRENT and SUCCEEDED, with no drift status: the other
// states are moto's ListStackInstances answer rewritten by the fault proxy to what the
// CloudFormation API reference documents (Status, StatusReason, DriftStatus).
const proxy = useFaultProxy();

const WATCHED = ['eu-west-1', 'us-east-1'];

/**
 * The stack set's template. moto names a self-managed instance's stack `StackSet:NAME`, and its
 * SQS then refuses the forwarder's dead-letter queue named after it; the check reads only the
 * instances, so the stack set carries a stand-in: one explicitly named, disabled rule.
 */
const STAND_IN = {
  Resources: {
    Placeholder: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'root-monitor-forwarder',
        ScheduleExpression: 'rate(1 day)',
        State: 'DISABLED',
      },
    },
  },
};

/**
 * An organization in moto: a management account, two members, and the forwarders' stack set with
 * an instance in each member and watched Region, except those `skipped` ("MEMBER-INDEX REGION").
 */
const organizationWith = async (skipped: string[] = []) => {
  const management = freshAccountId();
  const at = <C extends { middlewareStack: object }>(client: C) => inAccount(client, management);
  const organizations = at(
    new OrganizationsClient({ region: 'us-east-1', endpoint: proxy.endpoint }),
  );
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const members: string[] = [];
  for (const name of ['workloads', 'sandbox']) {
    const { CreateAccountStatus } = await organizations.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    const { CreateAccountStatus: created } = await organizations.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus?.Id }),
    );
    members.push(created?.AccountId ?? '');
  }
  const cloudformation = at(
    new CloudFormationClient({ region: 'us-east-1', endpoint: proxy.endpoint }),
  );
  const stackSetName = 'root-monitor-forwarder';
  await cloudformation.send(
    new CreateStackSetCommand({
      StackSetName: stackSetName,
      TemplateBody: JSON.stringify(STAND_IN),
    }),
  );
  for (const [index, account] of members.entries()) {
    const regions = WATCHED.filter((region) => !skipped.includes(`${index} ${region}`));
    await cloudformation.send(
      new CreateStackInstancesCommand({
        StackSetName: stackSetName,
        Accounts: [account],
        Regions: regions,
      }),
    );
  }
  const regions = new AccountRegions(
    at(new EC2Client({ region: 'us-east-1', endpoint: proxy.endpoint })),
  );
  const excludedRegions = (await regions.enabledRegions()).filter(
    (region) => !WATCHED.includes(region),
  );
  const check = accountsCheck(
    new OrganizationForwarders(organizations, cloudformation),
    regions,
    givenAccountsSettings({ stackSetName, callAs: 'SELF', excludedRegions }),
  );
  return { check, members, stackSetName };
};

describe('Check: accounts', () => {
  it('passes, saying where member accounts are checked, when no stack set is named', async () => {
    const regions = new AccountRegions(new EC2Client({ endpoint: proxy.endpoint }));
    const organizations = new OrganizationsClient({ endpoint: proxy.endpoint });
    const cloudformation = new CloudFormationClient({ endpoint: proxy.endpoint });
    const check = accountsCheck(
      new OrganizationForwarders(organizations, cloudformation),
      regions,
      givenAccountsSettings(undefined),
    );

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict:
        "no forwarders' stack set is named (the stack parameter ForwarderStackSetName is empty): member accounts are checked from the management account, with root-monitor doctor --organization",
    });
  });

  it('passes when every member account and Region has a current forwarder', async () => {
    const { check, stackSetName } = await organizationWith();

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict: `the stack set ${stackSetName} has a current forwarder in each of 2 member accounts and 2 Regions (4 never checked for drift: aws cloudformation detect-stack-set-drift --stack-set-name ${stackSetName})`,
    });
  });

  it('fails naming the account and Region whose instance is missing', async () => {
    const { check, members, stackSetName } = await organizationWith(['1 eu-west-1']);

    expect(await check.run(new Date())).toMatchObject({
      ok: false,
      verdict: `the stack set ${stackSetName} leaves root activity unforwarded: no forwarder in 1 account-Regions: ${members[1]} eu-west-1`,
      fix: expect.stringContaining(
        `aws cloudformation create-stack-instances --stack-set-name ${stackSetName}`,
      ),
    });
  });

  it('fails naming an outdated instance with its reason, and a drifted one', async () => {
    const { check, members, stackSetName } = await organizationWith();
    const [workloads = '', sandbox = ''] = members;
    proxy.setRewrite((request, body) => {
      if (request.operation !== 'ListStackInstances') return undefined;
      return body.replace(/<member>([\s\S]*?)<\/member>/g, (member, inner: string) => {
        const account = /<Account>(\d+)<\/Account>/.exec(inner)?.[1];
        const region = /<Region>([^<]+)<\/Region>/.exec(inner)?.[1];
        if (account === workloads && region === 'eu-west-1') {
          return member
            .replace(
              '<Status>CURRENT</Status>',
              '<Status>OUTDATED</Status><StatusReason>Account 111122223333 should have &apos;AWSCloudFormationStackSetExecutionRole&apos; role</StatusReason>',
            )
            .replace(
              '<DetailedStatus>SUCCEEDED</DetailedStatus>',
              '<DetailedStatus>FAILED</DetailedStatus>',
            );
        }
        if (account === sandbox && region === 'us-east-1') {
          return member.replace('</Status>', '</Status><DriftStatus>DRIFTED</DriftStatus>');
        }
        return member.replace('</Status>', '</Status><DriftStatus>IN_SYNC</DriftStatus>');
      });
    });

    const finding = await check.run(new Date());

    expect(finding.ok).toBe(false);
    expect(finding.verdict).toBe(
      `the stack set ${stackSetName} leaves root activity unforwarded: 1 forwarder is not as the stack set says: ${workloads} eu-west-1 OUTDATED/FAILED (Account 111122223333 should have 'AWSCloudFormationStackSetExecutionRole' role); 1 forwarder has drifted from the stack set: ${sandbox} us-east-1`,
    );
  });
});
