import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  RemovePermissionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { StackFunctions } from '../../src/aws/health/functions.js';
import { MonitorStack } from '../../src/aws/health/monitor-stack.js';
import { functionsCheck } from '../../src/health/functions.js';
import {
  ALIAS,
  deployTemplateResources,
  standInFunctions,
} from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

// moto's CloudFormation makes no AWS::Lambda::Alias and gives an AWS::Lambda::Version no
// physical id. The stack here is made in moto with the function, its version and the rule; the
// fault proxy adds to moto's GetTemplate answer the alias and the permission as the SAM transform
// writes them, and to its ListStackResources answer their physical ids as CloudFormation gives
// them (the version's and the alias's ARNs). The test creates the alias and the permission in
// moto's Lambda, as CloudFormation would.
const proxy = useFaultProxy();

const xmlUnescaped = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const xmlEscaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The alias and the permission of the root-usage rule, as the SAM transform writes them. */
const SAM_RESOURCES = {
  RootMonitorFunctionAliaslive: {
    Type: 'AWS::Lambda::Alias',
    Properties: {
      FunctionName: { Ref: 'RootMonitorFunction' },
      FunctionVersion: { 'Fn::GetAtt': ['RootMonitorFunctionVersion', 'Version'] },
      Name: ALIAS,
    },
  },
  RootUsageRuleInvokesFunction: {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      Action: 'lambda:InvokeFunction',
      FunctionName: { Ref: 'RootMonitorFunctionAliaslive' },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': ['RootUsageRule', 'Arn'] },
    },
  },
};

const monitorFunction = async () => {
  const account = freshAccountId();
  const { stackName, physicalId } = await deployTemplateResources(
    account,
    ['RootUsageRule', 'RuleDeadLetterQueue'],
    {
      replaced: {
        ...standInFunctions('RootMonitorFunction', 'GuardFunction'),
        RootMonitorFunctionVersion: {
          Type: 'AWS::Lambda::Version',
          Properties: { FunctionName: { Ref: 'RootMonitorFunction' } },
        },
      },
    },
  );
  const name = await physicalId('RootMonitorFunction');
  const functionArn = `arn:aws:lambda:us-east-1:${account}:function:${name}`;
  const ruleArn = `arn:aws:events:us-east-1:${account}:rule/${await physicalId('RootUsageRule')}`;
  const lambda = inAccount(new LambdaClient({ endpoint: proxy.endpoint }), account);
  await lambda.send(
    new CreateAliasCommand({ FunctionName: name, Name: ALIAS, FunctionVersion: '1' }),
  );
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: name,
      Qualifier: ALIAS,
      StatementId: 'RootUsageRuleInvokesFunction',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: ruleArn,
    }),
  );
  proxy.setRewrite((request, body) => {
    if (request.operation === 'GetTemplate') {
      return body.replace(/<TemplateBody>([\s\S]*?)<\/TemplateBody>/, (_whole, text: string) => {
        const template = JSON.parse(xmlUnescaped(text)) as { Resources: object };
        template.Resources = { ...template.Resources, ...SAM_RESOURCES };
        return `<TemplateBody>${xmlEscaped(JSON.stringify(template))}</TemplateBody>`;
      });
    }
    if (request.operation === 'ListStackResources') {
      return body
        .replace(
          /(<LogicalResourceId>RootMonitorFunctionVersion<\/LogicalResourceId>)<PhysicalResourceId\/>/,
          `$1<PhysicalResourceId>${functionArn}:1</PhysicalResourceId>`,
        )
        .replace(
          '</StackResourceSummaries>',
          `<member><LogicalResourceId>RootMonitorFunctionAliaslive</LogicalResourceId><PhysicalResourceId>${functionArn}:${ALIAS}</PhysicalResourceId><ResourceType>AWS::Lambda::Alias</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResourceSummaries>`,
        );
    }
    return undefined;
  });
  const check = functionsCheck(
    new StackFunctions(lambda),
    new MonitorStack(
      inAccount(new CloudFormationClient({ endpoint: proxy.endpoint }), account),
      stackName,
    ),
  );
  return { check, lambda, name, functionArn, ruleArn };
};

/** A zip archive holding nothing: code other than the stack's. */
const OTHER_CODE = Buffer.from(
  'UEsDBAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAAAAAAUEsBAhQACgAAAAAAAAAhAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFBLBQYAAAAAAQABAC4AAAAAAAAAAAA=',
  'base64',
);

describe('Check: functions', () => {
  it("passes when the alias invokes the stack's version, $LATEST holds its code, and the rule may invoke it", async () => {
    const { check } = await monitorFunction();

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict:
        "the alias invokes the version the stack published, with $LATEST's code the same, no concurrency of 0, and every invoke permission in place",
    });
  });

  it('fails when the alias was moved to another version', async () => {
    const { check, lambda, name } = await monitorFunction();
    // A version of other code: Lambda publishes none of code it already has.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: OTHER_CODE }));
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: name, Name: ALIAS, FunctionVersion: '2' }),
    );

    const finding = await check.run(new Date());

    expect(finding.ok).toBe(false);
    expect(finding.verdict).toContain(`${name}:${ALIAS} invokes version 2, not the stack's 1`);
    expect(finding.ok ? '' : finding.fix).toContain(
      `aws lambda update-alias --function-name ${name} --name ${ALIAS} --function-version 1 --routing-config AdditionalVersionWeights={}`,
    );
  });

  it('fails when the alias sends a share of invocations to another version', async () => {
    const { check, lambda, name } = await monitorFunction();
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: OTHER_CODE }));
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: ALIAS,
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      }),
    );

    expect((await check.run(new Date())).verdict).toContain(
      `${name}:${ALIAS} sends 50% to version 2`,
    );
  });

  it('fails when $LATEST holds other code than the version: the next deploy would publish it', async () => {
    const { check, lambda, name } = await monitorFunction();
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: OTHER_CODE }));

    expect((await check.run(new Date())).verdict).toMatch(
      new RegExp(
        `^${name}'s \\$LATEST holds other code \\(.+\\) than version 1 \\(.+\\): the next deploy would publish it$`,
      ),
    );
  });

  it('fails for a reserved concurrency of 0', async () => {
    const { check, lambda, name } = await monitorFunction();
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }),
    );

    expect(await check.run(new Date())).toMatchObject({
      ok: false,
      verdict: `${name}'s reserved concurrency is 0: it never runs`,
      fix: expect.stringContaining(
        `aws lambda delete-function-concurrency --function-name ${name}`,
      ),
    });
  });

  it("fails when the rule's permission to invoke the alias is gone", async () => {
    const { check, lambda, name, functionArn, ruleArn } = await monitorFunction();
    await lambda.send(
      new RemovePermissionCommand({
        FunctionName: name,
        Qualifier: ALIAS,
        StatementId: 'RootUsageRuleInvokesFunction',
      }),
    );

    expect(await check.run(new Date())).toMatchObject({
      ok: false,
      verdict: `${functionArn}:${ALIAS} no longer lets events.amazonaws.com invoke it for ${ruleArn} (RootUsageRuleInvokesFunction)`,
      fix: expect.stringContaining('aws lambda add-permission'),
    });
  });
});
