import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { BOUNDED_CALLS } from '../../src/aws/bounded-calls.js';
import { timeAgo } from '../support/cloudtrail-time.js';
import { createBusWithRules, createRecorder } from '../support/event-bus.js';
import { formField, type ProxiedRequest, SNS_KMS_ERRORS } from '../support/fault-proxy.js';
import { deployMonitor } from '../support/monitor-stack.js';
import { type HookedFaultProxy, useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const OWN_ACCOUNT = '123456789012';

/** One bounded call as the function made it: every attempt the SDK made of it included. */
interface Call {
  name: string;
  /** Positions in the order of starts and ends of every call. */
  started: number;
  ended: number;
}

/**
 * How long no call may start, nor end, before the calls held are let through together: long
 * enough for everything a settled call set going to send its next call, on a busy machine.
 */
const QUIET_MS = 100;

/**
 * Records when each call of a client starts and ends, in one order shared by every client: the
 * outermost middleware sees the call begin when the function sends it and end when its last
 * attempt has settled. Calls are held and let through in rounds, once none is running and none
 * has started for QUIET_MS: every call made side by side is in flight at the same time as the
 * others of its round, however staggered their starts would otherwise be, and a call made after
 * another has ended is in a later round. The chains measured are then the function's own.
 */
const callRecorder = () => {
  const calls: Call[] = [];
  let position = 0;
  let running = 0;
  let held: (() => void)[] = [];
  let quiet: NodeJS.Timeout | undefined;
  /** Lets the calls held through once nothing has started or ended for QUIET_MS. */
  const releaseWhenQuiet = () => {
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      if (running > 0) return;
      const round = held;
      held = [];
      running += round.length;
      for (const release of round) release();
    }, QUIET_MS);
  };
  const observe = <C extends DynamoDBClient | SNSClient | SSMClient | EventBridgeClient>(
    client: C,
    label: (input: Record<string, unknown>) => string = () => '',
  ) => {
    // One middleware for every client: its types differ only in the inputs it never reads.
    (client as unknown as SNSClient).middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const call: Call = {
          name: `${context.commandName?.replace(/Command$/, '')}${label(input)}`,
          started: position++,
          ended: Number.POSITIVE_INFINITY,
        };
        calls.push(call);
        await new Promise<void>((release) => {
          held.push(release);
          releaseWhenQuiet();
        });
        try {
          return await next(args);
        } finally {
          call.ended = position++;
          running--;
          releaseWhenQuiet();
        }
      },
      { step: 'initialize', priority: 'high', name: 'callRecorder' },
    );
    return client;
  };
  /**
   * The longest chain of calls each made after the one before it had ended: a call's chain is
   * the longest among the calls that ended before it started, plus itself. Its length is the
   * measure; where calls side by side were equally long, the one it names is any of them.
   */
  const longestChain = (among: readonly Call[] = calls): Call[] => {
    const chains = new Map<Call, Call[]>();
    for (const call of [...among].sort((a, b) => a.started - b.started)) {
      const before = among
        .filter((earlier) => earlier.ended < call.started)
        .map((earlier) => chains.get(earlier) ?? [])
        .reduce<Call[]>((longest, chain) => (chain.length > longest.length ? chain : longest), []);
      chains.set(call, [...before, call]);
    }
    return [...chains.values()].reduce<Call[]>(
      (longest, chain) => (chain.length > longest.length ? chain : longest),
      [],
    );
  };
  return { calls, observe, longestChain, clear: () => calls.splice(0) };
};

/**
 * The stack's two topics (the alert topic and the alarm topic, the function's fallback) with one
 * subscriber, a dedup table, the configuration parameter, and an event bus with a rule taking
 * the monitor's events; every AWS call of the function goes through the fault proxy, its clients
 * bounded as deployed.
 */
const deploy = async (proxy: HookedFaultProxy) => {
  const bus = await createBusWithRules(
    new EventBridgeClient(),
    [{ source: ['root-monitor'] }],
    (await createRecorder(new SQSClient())).arn,
  );
  const stack = await deployMonitor({ version: 1 }, { alarmTopic: true, eventBus: bus.name });
  const { inbox, alarmTopicArn = '' } = stack;
  const { configParameter } = stack.settings;
  const ssm = new SSMClient();
  const recorder = callRecorder();
  const topicOf = (input: Record<string, unknown>) =>
    input.TopicArn === inbox.topicArn ? ' to the alert topic' : ' to the fallback topic';
  /** A fresh Lambda container: its own clients and caches. */
  const container = () =>
    stack.container({
      dynamodb: recorder.observe(
        new DynamoDBClient({ ...BOUNDED_CALLS, endpoint: proxy.endpoint }),
      ),
      sns: recorder.observe(new SNSClient({ ...BOUNDED_CALLS, endpoint: proxy.endpoint }), topicOf),
      ssm: recorder.observe(new SSMClient({ ...BOUNDED_CALLS, endpoint: proxy.endpoint })),
      eventBridge: recorder.observe(
        new EventBridgeClient({ ...BOUNDED_CALLS, endpoint: proxy.endpoint }),
      ),
    }).monitor;
  /** Root writes an invalid document into the configuration parameter. */
  const rootBreaksConfig = async () => {
    const { Version } = await ssm.send(
      new PutParameterCommand({
        Name: configParameter,
        Type: 'String',
        Overwrite: true,
        Value: '{"version": 1, "allowlist": [',
      }),
    );
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ssm',
      account: OWN_ACCOUNT,
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: rootRecord({
        eventID: randomUUID(),
        eventTime: new Date().toISOString(),
        eventSource: 'ssm.amazonaws.com',
        eventName: 'PutParameter',
        recipientAccountId: OWN_ACCOUNT,
        requestParameters: { name: configParameter, type: 'String', overwrite: true },
        responseElements: { version: Version, tier: 'Standard' },
      }),
    };
  };
  return { inbox, alarmTopicArn, recorder, container, rootBreaksConfig };
};

/** The items that pass and those that do not, each in order. */
const partition = <T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] => [
  items.filter(test),
  items.filter((item) => !test(item)),
];

/** SNS refuses publishes to these topics as when root disabled their key. */
const refusing = (topics: readonly string[]) => (request: ProxiedRequest) =>
  request.operation === 'Publish' && topics.includes(formField(request, 'TopicArn') ?? '')
    ? SNS_KMS_ERRORS.KMSDisabledException
    : undefined;

/**
 * A root call outside any more specific rule: a collapse window, its opener noted beside it.
 * Every one shares the window of the same key.
 */
const rootActivity = (minutesAgo = 0) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.ec2',
  account: OWN_ACCOUNT,
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: [],
  detail: rootRecord({
    eventID: randomUUID(),
    eventTime: timeAgo(minutesAgo),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    recipientAccountId: OWN_ACCOUNT,
  }),
});

/**
 * The first write of a claim, or the writes beside it, each as long: the root alert's source
 * noted (UpdateItem) and, in a fresh container, the start of learning sources (PutItem). They add
 * no call to the chain.
 */
const CLAIM_OR_BESIDE = expect.stringMatching(/^(UpdateItem|PutItem)$/);

/**
 * The chain of a first attempt: the configuration read, then each message (the root alert and
 * the alarms beside it, each as long as the others) claimed, refused by the alert topic, taken by
 * the fallback topic, and its claim marked sent.
 */
const FIRST_ATTEMPT = [
  'GetParameter',
  CLAIM_OR_BESIDE,
  'Publish to the alert topic',
  'Publish to the fallback topic',
  'UpdateItem',
];

/** On Lambda's retry, each claim finds the one the failed attempt released and takes it over. */
const ON_RETRY = [
  'GetParameter',
  CLAIM_OR_BESIDE,
  'UpdateItem',
  'Publish to the alert topic',
  'Publish to the fallback topic',
  'UpdateItem',
];

describe('The longest chain of calls one alert waits on (moto behind a fault proxy)', () => {
  const proxy = useFaultProxy();

  it.each([
    ['root activity under an invalid configuration', 'activity', false],
    [
      "root activity under an invalid configuration, on Lambda's retry after both topics refused it",
      'activity',
      true,
    ],
    ['root writing an invalid configuration document', 'config-write', false],
    [
      "root writing an invalid configuration document, on Lambda's retry after both topics refused it",
      'config-write',
      true,
    ],
    // A tampered target: the unexpected-input alarm goes out beside the alert it held.
    ['root activity handed over bare, as an InputPath of $.detail would', 'bare', false],
  ] as const)(
    '%s, the alert topic refusing every message: the chain measured, call by call',
    async (_, what, retry) => {
      const { inbox, alarmTopicArn, recorder, container, rootBreaksConfig } = await deploy(proxy);
      const written = await rootBreaksConfig();
      const activity = rootActivity();
      const event =
        what === 'config-write' ? written : what === 'bare' ? activity.detail : activity;
      if (retry) {
        // The first attempt: both keys refuse, every claim is released, the invocation fails.
        proxy.setRule(refusing([inbox.topicArn, alarmTopicArn]));
        await expect(container().handle(event)).rejects.toThrow();
      }
      recorder.clear();
      // A cold container; the alert topic's key disabled, the fallback topic taking every message.
      proxy.setRule(refusing([inbox.topicArn]));

      await container().handle(event);

      const received = await inbox.receiveAll();
      expect(received.map((message) => message.topicArn)).toEqual(
        // Root's own write: its alert and the configuration alarm (the announcement is the
        // guard's, on a path of its own).
        Array({ activity: 2, 'config-write': 2, bare: 3 }[what]).fill(alarmTopicArn),
      );
      // The alerts' events go on the bus after every alert is out, within a budget of their
      // own beside the findings': they are no part of the chain an alert waits on.
      const [puts, alertPath] = partition(recorder.calls, (call) => call.name === 'PutEvents');
      expect(puts).toHaveLength(1);
      for (const put of puts) {
        for (const publish of alertPath.filter((call) => call.name.startsWith('Publish'))) {
          expect(put.started).toBeGreaterThan(publish.ended);
        }
      }
      const chain = recorder.longestChain(alertPath).map((call) => call.name);
      expect(chain).toEqual(retry ? ON_RETRY : FIRST_ATTEMPT);
    },
  );
});
