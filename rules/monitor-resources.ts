import { parameterMatcher } from '../src/engine/parameter-name.js';
import type { MonitorResources } from '../src/engine/rule.js';
import { isObject, type TrailEvent } from '../src/intake/trail-event.js';

type Matcher = (identifier: string) => boolean;

/** One kind of monitor resource: the service that records calls on it and how calls name it. */
interface Watched {
  eventSource: string;
  /** The requestParameters fields CloudTrail uses for the resource's name or ARN. */
  fields: readonly string[];
  /** The calls that name this kind in those fields, where another kind shares them. */
  calls?: RegExp;
  matches: Matcher | undefined;
}

// Lambda event names carry API versions (GetFunction20150331v2), so match on the prefix.
const READ_PREFIX = /^(Get|List|Describe|BatchGet|Query|Scan|Lookup)/;

/**
 * Whether a call only reads. CloudTrail's `readOnly` decides when present; some events omit
 * it, and then the verb in the event name does.
 */
export const isReadOnlyCall = (event: TrailEvent): boolean =>
  event.readOnly ?? READ_PREFIX.test(event.eventName);

/**
 * Whether an event names one of the monitor's own resources (its configuration parameter or
 * path, its two topics, dedup table, functions, the fallback topic's KMS key, the functions'
 * roles and the managed policies they attach, the queues that keep undelivered alerts, its rules,
 * or the connection and API destination that page), by name, URL or ARN, in its request or its
 * `resources`.
 */
export const namesMonitorResource = (event: TrailEvent, monitor: MonitorResources): boolean =>
  watchedResources(monitor).some(
    ({ eventSource, fields, calls, matches }) =>
      matches !== undefined &&
      event.eventSource === eventSource &&
      (calls === undefined || calls.test(event.eventName)) &&
      identifiersIn(event, fields).some(matches),
  );

const watchedResources = (monitor: MonitorResources): readonly Watched[] => [
  {
    eventSource: 'ssm.amazonaws.com',
    fields: ['name', 'names', 'resourceId'],
    matches: optional(monitor.configParameter, parameterMatcher),
  },
  {
    eventSource: 'sns.amazonaws.com',
    fields: ['topicArn', 'subscriptionArn', 'resourceArn', 'targetArn'],
    matches: anyOf([monitor.topicArn, monitor.fallbackTopicArn], topicMatcher),
  },
  {
    eventSource: 'dynamodb.amazonaws.com',
    fields: ['tableName', 'TableName', 'resourceArn', 'requestItems'],
    matches: optional(monitor.dedupTableName, tableMatcher),
  },
  {
    eventSource: 'lambda.amazonaws.com',
    fields: ['functionName', 'FunctionName', 'resource'],
    matches: anyOf(monitor.functionNames, functionMatcher),
  },
  {
    eventSource: 'kms.amazonaws.com',
    // Calls that change a key take its id or ARN, never an alias; calls that reach it through
    // an alias (DeleteAlias, reads by alias) carry the key's ARN in `resources`.
    fields: ['keyId', 'targetKeyId'],
    matches: optional(monitor.alertKeyArn, keyMatcher),
  },
  {
    eventSource: 'iam.amazonaws.com',
    // IAM requests name a role by its name alone, without path; IAM seldom fills `resources`.
    fields: ['roleName'],
    matches: anyOf(monitor.roleArns, roleMatcher),
  },
  {
    eventSource: 'iam.amazonaws.com',
    // The managed policies the roles attach, which CloudFormation names after the stack: a new
    // default version changes every role that attaches one without naming any of them.
    fields: ['policyArn'],
    matches: optional(monitor.stackName, stackPolicyMatcher),
  },
  {
    eventSource: 'sqs.amazonaws.com',
    // SQS requests name a queue by its URL; `resources` carries its ARN.
    // StartMessageMoveTask names the queue it empties by ARN only.
    fields: ['queueUrl', 'QueueUrl', 'sourceArn'],
    matches: anyOf(monitor.queueArns, queueMatcher),
  },
  {
    eventSource: 's3.amazonaws.com',
    // The trail bucket: its notification feeds the backstop, its policy admits CloudTrail.
    fields: ['bucketName'],
    matches: optional(monitor.trailBucket, (name) => (identifier) => identifier === name),
  },
  {
    eventSource: 'events.amazonaws.com',
    // PutRule, DisableRule and DeleteRule name the rule `name`; PutTargets and RemoveTargets
    // name it `rule`; either may be an ARN.
    fields: ['name', 'rule'],
    matches: anyOf(monitor.ruleNames, ruleMatcher),
  },
  {
    eventSource: 'events.amazonaws.com',
    // The connection and API destination the pager rules call, which the stack names after
    // itself as it names its alarms: any of them named so counts, without a list to carry.
    // Their calls name them `name`, as the rule calls name a rule.
    fields: ['name'],
    calls: /(?:Connection|ApiDestination)$/,
    matches: optional(monitor.stackName, stackEventsMatcher),
  },
  {
    eventSource: 'cloudformation.amazonaws.com',
    // The stack by name or stack id; a stack set's calls name the set, not the stack.
    fields: ['stackName'],
    matches: optional(monitor.stackName, stackMatcher),
  },
  {
    eventSource: 'logs.amazonaws.com',
    fields: ['logGroupName', 'logGroupIdentifier'],
    matches: anyOf(monitor.logGroupNames, logGroupMatcher),
  },
  {
    eventSource: 'monitoring.amazonaws.com',
    fields: ['alarmName', 'alarmNames'],
    // A new alarm named after the stack counts too: the stack's names are what the alarm topic
    // and its key were written for.
    matches: anyOf(
      [
        ...(monitor.alarmNames ?? []),
        ...(monitor.stackName === undefined ? [] : [`${monitor.stackName}-*`]),
      ],
      alarmMatcher,
    ),
  },
];

const optional = (
  name: string | undefined,
  matcher: (name: string) => Matcher,
): Matcher | undefined => (name === undefined || name === '' ? undefined : matcher(name));

const anyOf = (
  names: readonly (string | undefined)[] | undefined,
  matcher: (name: string) => Matcher,
): Matcher | undefined => {
  const matchers = (names ?? [])
    .filter((name): name is string => name !== undefined && name !== '')
    .map(matcher);
  return matchers.length === 0
    ? undefined
    : (identifier) => matchers.some((matches) => matches(identifier));
};

/** The alarm by name, or every alarm of a prefix given as `PREFIX*`. */
const alarmMatcher =
  (configured: string): Matcher =>
  (identifier) =>
    configured.endsWith('*')
      ? identifier.startsWith(configured.slice(0, -1))
      : identifier === configured;

/** The rule by name or ARN (`rule/NAME`, or `rule/BUS/NAME` on another bus). */
const ruleMatcher = (configured: string): Matcher => {
  const wanted = ruleNameOf(configured);
  return (identifier) => ruleNameOf(identifier) === wanted;
};

const ruleNameOf = (identifier: string): string =>
  /^arn:[^:]+:events:[^:]*:[^:]*:rule\/(?:[^/]+\/)?([^/]+)$/.exec(identifier)?.[1] ?? identifier;

/**
 * A connection or API destination named after the stack, by name or ARN
 * (`connection/NAME/ID`, `api-destination/NAME/ID`).
 */
const stackEventsMatcher =
  (stackName: string): Matcher =>
  (identifier) =>
    (
      /^arn:[^:]+:events:[^:]*:[^:]*:(?:connection|api-destination)\/([^/]+)\//.exec(
        identifier,
      )?.[1] ?? identifier
    ).startsWith(`${stackName}-`);

/** The stack by name or stack id (`arn:...:stack/NAME/UUID`). */
const stackMatcher = (configured: string): Matcher => {
  const wanted = stackNameOf(configured);
  return (identifier) => stackNameOf(identifier) === wanted;
};

const stackNameOf = (identifier: string): string =>
  /^arn:[^:]+:cloudformation:[^:]*:[^:]*:stack\/([^/]+)\//.exec(identifier)?.[1] ?? identifier;

/** The log group by name or ARN (`log-group:NAME`, with or without a trailing `:*`). */
const logGroupMatcher = (configured: string): Matcher => {
  const wanted = logGroupNameOf(configured);
  return (identifier) => logGroupNameOf(identifier) === wanted;
};

const logGroupNameOf = (identifier: string): string =>
  /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)/.exec(identifier)?.[1] ?? identifier;

/** The topic itself, or one of its subscriptions (`<topicArn>:<subscription id>`). */
const topicMatcher =
  (topicArn: string): Matcher =>
  (identifier) =>
    identifier === topicArn || identifier.startsWith(`${topicArn}:`);

/** The table by name or ARN, including its streams, indexes and backups. */
const tableMatcher = (configured: string): Matcher => {
  const wanted = tableNameOf(configured);
  return (identifier) => tableNameOf(identifier) === wanted;
};

const tableNameOf = (identifier: string): string =>
  /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(identifier)?.[1] ?? identifier;

/** The function by name, ARN or partial ARN, with or without a version or alias. */
const functionMatcher = (configured: string): Matcher => {
  const wanted = functionNameOf(configured);
  return (identifier) => functionNameOf(identifier) === wanted;
};

const functionNameOf = (identifier: string): string =>
  /(?:^|:)function:([^:]+)/.exec(identifier)?.[1] ?? identifier.split(':')[0] ?? identifier;

/**
 * The key by id or key ARN. An alias or alias ARN names no key by itself and so never matches;
 * the key ARN beside it in `resources` does. Key ids are compared without case, so that a UUID
 * in capitals cannot slip past should KMS accept it.
 */
const keyMatcher = (configured: string): Matcher => {
  const wanted = keyIdOf(configured);
  return (identifier) => keyIdOf(identifier) === wanted;
};

const keyIdOf = (identifier: string): string =>
  (/^arn:[^:]+:kms:[^:]*:[^:]*:key\/(.+)$/.exec(identifier)?.[1] ?? identifier).toLowerCase();

/**
 * The role by name or ARN; a role ARN's path (`role/service-role/name`) is not part of the
 * name. IAM does not tell role names apart by case, so neither does this.
 */
const roleMatcher = (configured: string): Matcher => {
  const wanted = roleNameOf(configured);
  return (identifier) => roleNameOf(identifier) === wanted;
};

const roleNameOf = (identifier: string): string =>
  (
    /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(identifier)?.[1] ?? identifier
  ).toLowerCase();

/**
 * A customer managed policy of the stack's account named after the stack (`STACK-LogicalId-ID`,
 * as CloudFormation names one it is given no name for), whatever its path.
 */
const stackPolicyMatcher =
  (stackName: string): Matcher =>
  (identifier) =>
    /^arn:[^:]+:iam::\d{12}:policy\/(?:.*\/)?([^/]+)$/
      .exec(identifier)?.[1]
      ?.startsWith(`${stackName}-`) === true;

/**
 * The queue by ARN or URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`, and the older
 * `queue.amazonaws.com` hosts). Both carry the account and the name, which are compared; queue
 * names are case-sensitive. A queue of the same name in another Region of the account also
 * matches: an extra alert rather than a missed one.
 */
const queueMatcher = (configured: string): Matcher => {
  const wanted = queueOf(configured);
  return (identifier) => wanted !== undefined && queueOf(identifier) === wanted;
};

const queueOf = (identifier: string): string | undefined => {
  const arn = /^arn:[^:]+:sqs:[^:]*:(\d{12}):([^:/]+)$/.exec(identifier);
  if (arn) return `${arn[1]}/${arn[2]}`;
  const url = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)\/?$/.exec(identifier);
  return url ? `${url[1]}/${url[2]}` : undefined;
};

/**
 * The strings an event uses to name resources: the given requestParameters fields and the ARNs
 * in `resources`. A field may hold a name, a list of names, a list of request items each naming
 * its table (TransactWriteItems), or a map keyed by table name (BatchWriteItem).
 */
const identifiersIn = (event: TrailEvent, fields: readonly string[]): string[] => {
  const request = event.requestParameters ?? {};
  return [...fields.flatMap((field) => namesIn(request[field])), ...resourceArns(event)];
};

const namesIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    return value.flatMap((item) =>
      isObject(item) ? [...namesIn(item.tableName), ...namesIn(item.TableName)] : namesIn(item),
    );
  }
  return isObject(value) ? Object.keys(value) : [];
};

const resourceArns = (event: TrailEvent): string[] => {
  const resources = event.record.resources;
  if (!Array.isArray(resources)) return [];
  return resources.flatMap((resource) =>
    isObject(resource) && typeof resource.ARN === 'string' ? [resource.ARN] : [],
  );
};
