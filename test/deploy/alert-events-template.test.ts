import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  ALERT_DETAIL_TYPE,
  alertEventFor,
  DIGEST_DETAIL_TYPE,
  digestEventFor,
  EVENT_SOURCE,
} from '../../src/alert/bus-event.js';
import { subjectFor } from '../../src/alert/render/subject.js';
import { EventBus } from '../../src/aws/event-bus.js';
import type { Severity } from '../../src/engine/severity.js';
import { consoleLoginRecord, noticeFor, stubRule } from '../alert/alert-fixture.js';
import { useMoto } from '../support/aws-env.js';
import { createRecorder } from '../support/event-bus.js';
import {
  asList,
  environmentOf,
  evaluate,
  grantsOf,
  isObject,
  loadTemplate,
  parseTemplate,
  REPO_ROOT,
  resourceOf,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';
import { cfnLint } from './python-tool.js';

useMoto();

const template = loadTemplate('template.yaml');
const MOTO_ACCOUNT = '123456789012';
const SECRET = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:pagerduty-routing-key-AbCdEf';

const PAGER_RESOURCES = [
  'PagerDutyConnection',
  'PagerDutyDestination',
  'PagerDutyInvokeRole',
  'PagerDutyCriticalRule',
  'PagerDutyHighRule',
];

/** A role's grants, inline and attached, each with the condition it is under (null for none). */
const grantsOfRole = (roleId: string) =>
  grantsOf(template, roleId).map(({ condition, statement }) => [condition, statement] as const);

const putEventsGrants = (roleId: string) =>
  grantsOfRole(roleId).filter(([, statement]) =>
    asList(statement.Action).includes('events:PutEvents'),
  );

/** A grant to put the monitor's events of one detail-type on the default bus, and no other. */
const putOnDefaultBus = (detailType: string) => [
  'AlertEventsEnabled',
  expect.objectContaining({
    Effect: 'Allow',
    Action: 'events:PutEvents',
    Resource: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub variable
      'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default',
    },
    Condition: {
      'ForAllValues:StringEquals': {
        'events:source': EVENT_SOURCE,
        'events:detail-type': detailType,
      },
    },
  }),
];

describe('template.yaml: alerts and digests on the default event bus', () => {
  it('turns them on by default, and hands the setting to every function that alerts', () => {
    expect(template.Parameters?.AlertEvents).toMatchObject({
      Default: 'true',
      AllowedValues: ['true', 'false'],
    });
    for (const fn of [
      'RootMonitorFunction',
      'TrailFileFunction',
      'GuardFunction',
      'DigestFunction',
    ]) {
      expect(environmentOf(resourceOf(template, fn)).ALERT_EVENTS, fn).toEqual({
        Ref: 'AlertEvents',
      });
    }
    expect(environmentOf(resourceOf(template, 'HealthCheckFunction'))).not.toHaveProperty(
      'ALERT_EVENTS',
    );
  });

  it('lets each role that sends alerts put them on the default bus only, as the monitor, and only while on', () => {
    for (const role of ['RootMonitorRole', 'TrailFileRole', 'GuardRole']) {
      expect(putEventsGrants(role), role).toEqual([putOnDefaultBus(ALERT_DETAIL_TYPE)]);
    }
    expect(putEventsGrants('DigestRole')).toEqual([putOnDefaultBus(DIGEST_DETAIL_TYPE)]);
    expect(putEventsGrants('HealthCheckRole')).toEqual([]);
  });
});

describe('template.yaml: PagerDuty (optional)', () => {
  const properties = (logicalId: string) => resourceOf(template, logicalId).Properties ?? {};

  it('exists only with a routing key secret and the alerts on the bus, which a deploy without them is told', () => {
    expect(template.Parameters?.PagerDutyRoutingKeySecretArn).toMatchObject({ Default: '' });
    expect(template.Conditions?.PagesPagerDuty).toEqual({
      'Fn::And': [
        { Condition: 'AlertEventsEnabled' },
        { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PagerDutyRoutingKeySecretArn' }, ''] }] },
      ],
    });
    for (const logicalId of PAGER_RESOURCES) {
      expect(resourceOf(template, logicalId).Condition, logicalId).toBe('PagesPagerDuty');
    }
    const rules = (template as { Rules?: Record<string, Record<string, unknown>> }).Rules;
    expect(rules?.PagerDutyNeedsAlertEvents).toMatchObject({
      RuleCondition: {
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PagerDutyRoutingKeySecretArn' }, ''] }],
      },
      Assertions: [
        expect.objectContaining({ Assert: { 'Fn::Equals': [{ Ref: 'AlertEvents' }, 'true'] } }),
      ],
    });
  });

  it("puts the routing key, read from the secret at deploy, in each request's body, as a secret", () => {
    const auth = properties('PagerDutyConnection').AuthParameters;
    if (!isObject(auth) || !isObject(auth.InvocationHttpParameters))
      throw new Error('no parameters');
    const [routingKey, ...others] = asList(auth.InvocationHttpParameters.BodyParameters).filter(
      isObject,
    );

    expect(others).toEqual([]);
    expect(routingKey).toMatchObject({ Key: 'routing_key', IsValueSecret: true });
    expect(evaluate(routingKey?.Value ?? '', { PagerDutyRoutingKeySecretArn: SECRET })).toBe(
      `{{resolve:secretsmanager:${SECRET}:SecretString}}`,
    );
    // The header a connection needs carries no secret: the key is nowhere else.
    expect(properties('PagerDutyConnection').AuthorizationType).toBe('API_KEY');
    expect(JSON.stringify(auth.ApiKeyAuthParameters)).not.toContain('resolve');
  });

  it("posts to PagerDuty's Events API v2", () => {
    expect(properties('PagerDutyDestination')).toMatchObject({
      ConnectionArn: { 'Fn::GetAtt': ['PagerDutyConnection', 'Arn'] },
      InvocationEndpoint: 'https://events.pagerduty.com/v2/enqueue',
      HttpMethod: 'POST',
    });
  });

  it('is called by EventBridge in this account, under a role that may invoke that destination only', () => {
    const role = properties('PagerDutyInvokeRole');
    expect(role.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(grantsOfRole('PagerDutyInvokeRole')).toEqual([
      [
        null,
        {
          Sid: 'InvokePagerDuty',
          Effect: 'Allow',
          Action: 'events:InvokeApiDestination',
          Resource: { 'Fn::GetAtt': ['PagerDutyDestination', 'Arn'] },
        },
      ],
    ]);
  });

  it.each([
    ['PagerDutyCriticalRule', 'CRITICAL'],
    ['PagerDutyHighRule', 'HIGH'],
  ])(
    '%s takes the %s alerts of this account from the default bus, retries a day, then parks',
    (rule, severity) => {
      const { EventBusName, State, EventPattern, Targets } = properties(rule);
      expect({ EventBusName, State }).toEqual({ EventBusName: 'default', State: 'ENABLED' });
      expect(EventPattern).toEqual({
        source: [EVENT_SOURCE],
        'detail-type': [ALERT_DETAIL_TYPE],
        account: [{ Ref: 'AWS::AccountId' }],
        detail: { severity: [severity] },
      });
      expect(Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': ['PagerDutyDestination', 'Arn'] },
          RoleArn: { 'Fn::GetAtt': ['PagerDutyInvokeRole', 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'Arn'] } },
        }),
      ]);
    },
  );
});

/** The rule's pattern as deployed in moto's account. */
const deployedPattern = (value: TemplateValue | undefined): unknown => {
  if (Array.isArray(value)) return value.map(deployedPattern);
  if (!isObject(value)) return value;
  if (value.Ref === 'AWS::AccountId') return MOTO_ACCOUNT;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, deployedPattern(item)]),
  );
};

/**
 * Rules as a template writes them (pattern, input transformer), on a bus of their own, each
 * sending what it would post to its API destination to a queue instead: moto does not call out,
 * and a connection adds its parameters (PagerDuty's `routing_key`) only when EventBridge calls.
 */
const deployRules = async (from: Template, logicalIds: readonly string[]) => {
  const events = new EventBridgeClient();
  const recorder = await createRecorder(new SQSClient());
  const busName = `bus-${randomUUID().slice(0, 8)}`;
  await events.send(new CreateEventBusCommand({ Name: busName }));
  for (const logicalId of logicalIds) {
    const rule = resourceOf(from, logicalId).Properties ?? {};
    const [target] = asList(rule.Targets).filter(isObject);
    const name = `${logicalId}-${randomUUID().slice(0, 8)}`;
    await events.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: busName,
        EventPattern: JSON.stringify(deployedPattern(rule.EventPattern)),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: busName,
        Targets: [
          {
            Id: 'destination',
            Arn: recorder.arn,
            InputTransformer: target?.InputTransformer as Target['InputTransformer'],
          },
        ],
      }),
    );
  }
  return { bus: new EventBus({ busName, client: events }), recorder };
};

const noticeOf = (severity: Severity, eventID: string) =>
  noticeFor(consoleLoginRecord({ eventID }), {
    rules: [stubRule({ severity })],
    dedupKey: `root-console-login-without-mfa#111122223333#${eventID}`,
  });

describe("The pager rules, run by moto's EventBridge on the alerts the functions put on the bus", () => {
  it('page CRITICAL as critical and HIGH as error, keyed by the alert, and nothing else', async () => {
    const { bus, recorder } = await deployRules(template, [
      'PagerDutyCriticalRule',
      'PagerDutyHighRule',
    ]);
    const critical = noticeOf('CRITICAL', 'critical-0001');
    const high = noticeOf('HIGH', 'high-0001');

    // moto substitutes a string as it is, where EventBridge escapes it as JSON: these hold none
    // of the characters JSON escapes.
    expect(
      await bus.putEvents([
        alertEventFor(critical),
        alertEventFor(high),
        alertEventFor(noticeOf('MEDIUM', 'medium-0001')),
        alertEventFor(noticeOf('LOW', 'low-0001')),
        digestEventFor({
          key: 'root-activity#111122223333#203.0.113.7',
          openerId: 'critical-0001',
          openedAt: Date.parse('2026-03-01T03:14:15Z'),
          closesAt: Date.parse('2026-03-01T03:29:15Z'),
          events: [
            {
              eventId: 'e-1',
              eventName: 'DeleteTrail',
              eventSource: 'cloudtrail.amazonaws.com',
              accountId: '111122223333',
              region: 'us-east-1',
              sourceIp: '203.0.113.7',
              at: Date.parse('2026-03-01T03:15:15Z'),
              errorCode: undefined,
              severity: 'CRITICAL',
              ruleIds: ['root-audit-tampering'],
              countedAt: Date.parse('2026-03-01T03:15:20Z'),
              arrival: 'real-time',
            },
          ],
          reportedBefore: 0,
        }),
      ]),
    ).toEqual([]);

    const posted = (await recorder.drain()).sort((a, b) =>
      String(a.dedup_key).localeCompare(String(b.dedup_key)),
    );
    expect(posted).toEqual(
      [critical, high].map((notice) => ({
        event_action: 'trigger',
        dedup_key: `root-console-login-without-mfa#111122223333#${notice.alert.event.eventId}`,
        client: 'root-monitor',
        payload: {
          summary: subjectFor(notice),
          source: 'AWS account 111122223333',
          severity: notice.alert.severity === 'CRITICAL' ? 'critical' : 'error',
          timestamp: expect.any(String),
          component: 'root user',
          class: 'root-console-login-without-mfa',
          custom_details: JSON.parse(alertEventFor(notice).detail),
        },
      })),
    );
    // Within what PagerDuty's Events API v2 takes.
    for (const page of posted) {
      expect(String(page.dedup_key).length).toBeLessThanOrEqual(255);
      expect(String((page.payload as { summary: string }).summary).length).toBeLessThanOrEqual(
        1024,
      );
    }
  });
});

/** The Slack template docs/deploying/alert-destinations.md shows, as a user would save it. */
const slackTemplateText = (): string => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'deploying', 'alert-destinations.md'), 'utf8');
  const section = page.indexOf('\n## Slack (a template to add)\n');
  expect(section, 'the page has its Slack section').toBeGreaterThanOrEqual(0);
  const start = page.indexOf('```yaml\n', section) + '```yaml\n'.length;
  return page.slice(start, page.indexOf('```', start));
};

describe('The Slack template of docs/deploying/alert-destinations.md', () => {
  it('passes cfn-lint, informational checks included', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slack-alerts-')), 'slack-alerts.yaml');
    writeFileSync(file, slackTemplateText());

    const lint = cfnLint(file);

    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });

  it("posts each alert as Slack's blocks, only the summary as markup, run by moto's EventBridge", async () => {
    const { bus, recorder } = await deployRules(parseTemplate(slackTemplateText()), ['SlackRule']);
    const notice = noticeOf('MEDIUM', 'medium-0001');

    expect(await bus.putEvents([alertEventFor(notice)])).toEqual([]);

    const summary = subjectFor(notice);
    expect(await recorder.drain()).toEqual([
      {
        text: summary,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: summary } },
          {
            type: 'section',
            fields: [
              { type: 'plain_text', text: 'Rule: root-console-login-without-mfa' },
              { type: 'plain_text', text: 'Event: ConsoleLogin' },
              { type: 'plain_text', text: 'Source address: 203.0.113.7' },
              { type: 'plain_text', text: 'Event ID: medium-0001' },
            ],
          },
        ],
      },
    ]);
  });
});
