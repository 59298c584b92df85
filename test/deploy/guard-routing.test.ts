import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { useMoto } from '../support/aws-env.js';
import { createBusWithRoutes, createRecorder, putAll } from '../support/event-bus.js';
import { loadTemplate, resourceOf } from './cloudformation-template.js';
import { type DeployedStack, deployedProperty, deployedStack } from './deployed-template.js';
import {
  GUARD_RULES,
  IDENTITIES,
  type Identity,
  INVOKES,
  type Move,
  ordinaryChanges,
  PAGES_PAGERDUTY,
  playbook,
  playbookStack,
} from './playbook.js';

useMoto();

/*
 * The guard rules' patterns, read from template.yaml and resolved as CloudFormation would for one
 * stack, run by moto's EventBridge: every move of the playbook must reach the rules it names, and
 * every ordinary change none (root's moves reaching the root-usage rule as well is
 * root-usage-pattern.test.ts's to show). What moto cannot show: it matches no field inside an array of objects (the
 * `resources.ARN` branch for the key is held to its shape instead, below), it matches rules
 * whatever their state, and it gives an event the account and Region of the bus it is put on.
 */

const template = loadTemplate('template.yaml');

/** The rules that carry alerts and announcements: root usage, changes to the monitor, and pages. */
const CARRYING_RULES = [
  'RootUsageRule',
  ...GUARD_RULES,
  'PagerDutyCriticalRule',
  'PagerDutyHighRule',
] as const;

const API_CALL = 'AWS API Call via CloudTrail';

/** The account moto puts events in: the one in the ARNs it hands out. */
const accountOf = (arn: string): string => arn.split(':')[4] ?? '';

/** The envelope source of a CloudTrail event: the service's, as EventBridge names it. */
const sourceOf = (eventSource: string): string => {
  const service = eventSource.replace(/\.amazonaws\.com$/, '');
  return `aws.${service === 'monitoring' ? 'cloudwatch' : service}`;
};

const entryOf = (record: CloudTrailRecord): Omit<PutEventsRequestEntry, 'EventBusName'> => ({
  Source: sourceOf(String(record.eventSource)),
  DetailType: API_CALL,
  Detail: JSON.stringify(record),
});

const patternOf = (stack: DeployedStack, logicalId: string): unknown =>
  deployedProperty(template, stack, logicalId, 'EventPattern');

/**
 * What each rule delivers here: the record's eventID alone. Which rules an event reaches is all
 * these tests read, and moto spends far less on one input path than on a whole event's eight.
 */
const EVENT_ID_ONLY = {
  InputPathsMap: { eventID: '$.detail.eventID' },
  InputTemplate: '{"eventID": "<eventID>"}',
};

/**
 * A bus running each rule's pattern, resolved for a stack in moto's account, into a recorder of
 * its own; puts the records made for that stack and returns the rules each (by eventID) reached.
 */
const route = async (
  stackFor: (account: string) => DeployedStack,
  recordsFor: (stack: DeployedStack) => readonly CloudTrailRecord[],
  rules: readonly string[],
): Promise<Map<string, string[]>> => {
  const events = new EventBridgeClient({ region: 'us-east-1' });
  const sqs = new SQSClient({ region: 'us-east-1' });
  const recorders = await Promise.all(rules.map(() => createRecorder(sqs)));
  const stack = stackFor(accountOf(recorders[0]?.arn ?? ''));
  const bus = await createBusWithRoutes(
    events,
    rules.map((logicalId, index) => ({
      pattern: patternOf(stack, logicalId),
      targetArn: recorders[index]?.arn ?? '',
      inputTransformer: EVENT_ID_ONLY,
    })),
  );
  await putAll(events, bus.name, recordsFor(stack).map(entryOf));
  const reached = new Map<string, string[]>();
  for (const [index, recorder] of recorders.entries()) {
    for (const delivered of await recorder.drain()) {
      const id = String(delivered.eventID);
      reached.set(id, [...(reached.get(id) ?? []), rules[index] ?? '']);
    }
  }
  return reached;
};

/** The playbook's stack deployed in another Region, with the same names otherwise. */
const inUsWest2 = (account: string): DeployedStack =>
  deployedStack(template, {
    stackName: 'root-monitor',
    account,
    region: 'us-west-2',
    parameters: { TrailBucketName: 'example-org-trail', ...PAGES_PAGERDUTY },
  });

describe('the guard rules (template.yaml)', () => {
  it("reach the guard with every move of the playbook, as an IAM user and as root, and the real-time function with every move on the guard's own parts", async () => {
    let played: { move: Move; identity: Identity; record: CloudTrailRecord }[] = [];

    const reached = await route(
      playbookStack,
      (stack) => {
        played = playbook(stack).flatMap((move) =>
          IDENTITIES.map((identity) => ({ move, identity, record: move.records[identity] })),
        );
        return played.map(({ record }) => record);
      },
      GUARD_RULES,
    );

    const mismatches = played
      .map(({ move, identity, record }) => ({
        move: `${move.name} (${identity})`,
        expected: [...move.rules].sort(),
        reached: (reached.get(String(record.eventID)) ?? []).sort(),
      }))
      .filter(({ expected, reached: got }) => JSON.stringify(expected) !== JSON.stringify(got));
    expect(mismatches).toEqual([]);
    expect(played.length).toBeGreaterThan(200);
  }, 120_000);

  it('never hear a move only through the rule it changes, nor announce it only by the function it changes', () => {
    for (const move of playbook(playbookStack())) {
      expect(move.rules.length, move.name).toBeGreaterThan(0);
      expect(
        move.rules.filter((rule) => rule !== move.changes),
        move.name,
      ).not.toEqual([]);
      expect(move.announcedBy, move.name).not.toBe(move.changes);
      // One of the rules that hear it invokes the function that announces it.
      expect(
        move.rules.map((rule) => INVOKES[rule]),
        move.name,
      ).toContain(move.announcedBy);
    }
  });

  it('play a move on every rule that carries alerts or announcements', () => {
    const changed = new Set(playbook(playbookStack()).map((move) => move.changes));

    for (const rule of CARRYING_RULES) expect(changed, rule).toContain(rule);
  });

  it("reach no rule with an account's ordinary changes, reads of the monitor among them", async () => {
    let count = 0;

    const reached = await route(
      playbookStack,
      (stack) => {
        const changes = ordinaryChanges(stack);
        count = changes.length;
        return changes.map((change) => change.record);
      },
      GUARD_RULES,
    );

    expect(count).toBeGreaterThan(25);
    expect(Object.fromEntries(reached)).toEqual({});
  });

  it("reach no rule with another account's moves on resources of the same names", async () => {
    // The stack's patterns for an account that is not moto's, and as a witness that the bus
    // delivers, one of them for moto's account.
    const events = new EventBridgeClient({ region: 'us-east-1' });
    const recorder = await createRecorder(new SQSClient({ region: 'us-east-1' }));
    const own = accountOf(recorder.arn);
    const other = own === '444455556666' ? '777788889999' : '444455556666';
    const elsewhere = await createBusWithRoutes(
      events,
      GUARD_RULES.map((rule) => ({
        pattern: patternOf(playbookStack(other), rule),
        targetArn: recorder.arn,
      })),
    );
    const witness = await createBusWithRoutes(events, [
      { pattern: patternOf(playbookStack(own), 'GuardLambdaRule'), targetArn: recorder.arn },
    ]);
    const [first] = playbook(playbookStack(own));

    // Each move as the other account records it: its names, its account.
    await putAll(
      events,
      elsewhere.name,
      playbook(playbookStack(other)).map((move) => entryOf(move.records.iamUser)),
    );
    await putAll(events, witness.name, first === undefined ? [] : [entryOf(first.records.iamUser)]);

    const arrived = (await recorder.drain()).map(
      (event) => (event.detail as { eventID: string }).eventID,
    );
    expect(arrived).toEqual([first?.records.iamUser.eventID]);
  });

  it("reach only the trail and configuration rules from another Region: a trail's calls are recorded in its home Region, the monitor's resources in the stack's", async () => {
    // A stack of the same names in us-west-2, given moto's events, which are us-east-1's.
    const reached = await route(
      inUsWest2,
      (stack) => playbook(stack).map((move) => move.records.iamUser),
      GUARD_RULES,
    );

    // The configuration rule names its parameter without a Region, as it always has.
    expect(new Set([...reached.values()].flat())).toEqual(
      new Set(['GuardTrailRule', 'ConfigChangeRule']),
    );
  });

  it('match the key by the ARN CloudTrail always records in resources, whatever the caller wrote', () => {
    // moto does not look inside arrays of objects; EventBridge does (`resources` is one).
    const stack = playbookStack();
    const pattern = patternOf(stack, 'GuardAlertsRule') as {
      detail: { $or: Record<string, unknown>[] };
    };

    expect(pattern.detail.$or).toContainEqual({
      eventSource: ['kms.amazonaws.com'],
      eventName: expect.arrayContaining(['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy']),
      resources: { ARN: [stack.attributes['AlertKey.Arn']] },
    });
  });
});

describe('the size of the patterns', () => {
  /** The longest names a stack can be given: a 51-character stack name (its functions' names
   * end in -health-check, within Lambda's 64), GovCloud, and the longest parameters. */
  const longest = (parameters: Record<string, string>) =>
    deployedStack(template, {
      stackName: `root-monitor-${'x'.repeat(38)}`,
      account: '123456789012',
      region: 'us-gov-west-1',
      partition: 'aws-us-gov',
      parameters: {
        TrailBucketName: `trail-${'b'.repeat(57)}`,
        EnableForensics: 'true',
        ...PAGES_PAGERDUTY,
        ...parameters,
      },
    });

  const withPatterns = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Properties?.EventPattern !== undefined)
    .map(([logicalId]) => logicalId);

  it.each([
    ['the queue the stack creates', {}],
    [
      'a queue given',
      { TrailQueueArn: `arn:aws-us-gov:sqs:us-gov-west-1:123456789012:${'q'.repeat(80)}` },
    ],
    ['no backstop', { TrailBucketName: '' }],
  ])('hold every rule under EventBridge’s 4,096 characters, with %s', (_name, parameters) => {
    const stack = longest(parameters);

    expect(stack.stackName).toHaveLength(51);
    expect(withPatterns).toEqual(expect.arrayContaining([...CARRYING_RULES]));
    for (const logicalId of withPatterns) {
      const size = JSON.stringify(patternOf(stack, logicalId)).length;
      expect(size, logicalId).toBeLessThanOrEqual(4096);
    }
  });

  it('name every rule, connection and API destination within the 64 characters EventBridge allows', () => {
    const stack = longest({});
    const named = ['AWS::Events::Rule', 'AWS::Events::Connection', 'AWS::Events::ApiDestination'];
    const names = Object.entries(template.Resources)
      .filter(([, resource]) => named.includes(resource.Type))
      .map(([logicalId]) =>
        String(stack.resolve(resourceOf(template, logicalId).Properties?.Name)),
      );

    expect(names).toContain(`${stack.stackName}-pagerduty`);
    for (const name of names) expect(name.length, name).toBeLessThanOrEqual(64);
  });
});
