import { SERVICE_NAME } from '../alert/render/filter-attributes.js';
import { SEVERITIES } from '../engine/severity.js';
import { type Check, fail, pass } from './check.js';
import type { DeployedStack } from './deployed-stack.js';
import { isNoFilter, type MessageSample, matchesNothing } from './filter-policy.js';
import {
  STACK_READ_ACTIONS,
  type StackReads,
  type SubscriptionReads,
  type SubscriptionView,
} from './ports.js';
import { sameJson } from './same-json.js';

const counted = (count: number, what: string): string =>
  `${count} ${what}${count === 1 ? '' : 's'}`;

/**
 * What the monitor publishes, as a filter policy sees it: its alerts, digests and announcements
 * of each severity (`event_name`, `rule_id` and `account_id` vary with the event), and
 * CloudWatch's alarm notifications, which carry no attributes at all.
 */
export const MONITOR_MESSAGES: readonly MessageSample[] = [
  ...SEVERITIES.map(
    (severity): MessageSample => ({
      severity: { value: severity },
      service: { value: SERVICE_NAME },
      event_name: 'any',
      rule_id: 'any',
      account_id: 'any',
    }),
  ),
  {},
];

/** A subscription the stack makes: where, to whom, and the filter it sets. */
interface StackSubscription {
  logicalId: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  filterPolicy: unknown;
  filterPolicyScope: string;
}

const stackSubscriptions = (stack: DeployedStack): StackSubscription[] =>
  stack.resourcesOf('AWS::SNS::Subscription').map(({ logicalId, properties }) => {
    const policy = properties.FilterPolicy;
    return {
      logicalId,
      topicArn: String(properties.TopicArn ?? ''),
      protocol: String(properties.Protocol ?? ''),
      endpoint: String(properties.Endpoint ?? ''),
      // CloudFormation takes the policy as an object or as its JSON text.
      filterPolicy: typeof policy === 'string' ? JSON.parse(policy) : (policy ?? undefined),
      filterPolicyScope: String(properties.FilterPolicyScope ?? 'MessageAttributes'),
    };
  });

const json = (policy: unknown): string => JSON.stringify(policy ?? {});

const setPolicy = (arn: string, policy: unknown): string =>
  `aws sns set-subscription-attributes --subscription-arn ${arn} --attribute-name FilterPolicy --attribute-value '${json(policy)}'`;

/** The stack parameter in which the operator declares the filters of their own subscriptions. */
export const DECLARED_FILTERS_PARAMETER = 'SubscriptionFilterPolicies';

/**
 * The filter policies the operator chose for subscriptions the stack does not make, keyed by the
 * subscription's endpoint or ARN, as the stack was deployed with them; a problem in words when
 * the parameter is not such an object.
 */
const declaredFilters = (stack: DeployedStack): Record<string, unknown> | string => {
  const text = stack.facts.parameters[DECLARED_FILTERS_PARAMETER]?.trim() || '{}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `is not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'is not a JSON object of filter policies keyed by endpoint';
  }
  const notPolicy = Object.entries(parsed).find(
    ([, policy]) => typeof policy !== 'object' || policy === null || Array.isArray(policy),
  );
  return notPolicy === undefined
    ? Object.fromEntries(Object.entries(parsed))
    : `gives ${JSON.stringify(notPolicy[0])} ${JSON.stringify(notPolicy[1])}, not a filter policy`;
};

/** What is wrong with one confirmed subscription's filter, with its fix; undefined when nothing. */
const filterProblem = (
  subscription: SubscriptionView,
  own: StackSubscription | undefined,
  declared: Readonly<Record<string, unknown>>,
): { problem: string; fix: string } | undefined => {
  const { arn, endpoint, filterPolicy, filterPolicyScope } = subscription;
  const who = `${subscription.protocol} ${endpoint}`;
  if (own !== undefined) {
    if (
      !sameJson(isNoFilter(filterPolicy) ? undefined : filterPolicy, own.filterPolicy) ||
      (own.filterPolicy !== undefined && filterPolicyScope !== own.filterPolicyScope)
    ) {
      return {
        problem: `${who} filters with ${filterPolicyScope} ${json(filterPolicy)}, not the stack's ${own.filterPolicyScope} ${json(own.filterPolicy)} (${own.logicalId})`,
        fix: `${setPolicy(arn, own.filterPolicy)}; then look in CloudTrail for who called SetSubscriptionAttributes`,
      };
    }
  } else if (!isNoFilter(filterPolicy)) {
    const chosen = declared[arn] ?? declared[endpoint];
    if (chosen === undefined) {
      return {
        problem: `${who} filters with ${json(filterPolicy)}, which neither the stack nor SubscriptionFilterPolicies declares`,
        fix: `declare it in the stack parameter SubscriptionFilterPolicies, keyed by its endpoint, or remove it: ${setPolicy(arn, {})}; then look in CloudTrail for who called SetSubscriptionAttributes`,
      };
    }
    if (!sameJson(filterPolicy, chosen)) {
      return {
        problem: `${who} filters with ${json(filterPolicy)}, not the ${json(chosen)} that SubscriptionFilterPolicies declares`,
        fix: `${setPolicy(arn, chosen)}; then look in CloudTrail for who called SetSubscriptionAttributes`,
      };
    }
  }
  if (
    !isNoFilter(filterPolicy) &&
    matchesNothing(filterPolicy, filterPolicyScope, MONITOR_MESSAGES)
  ) {
    return {
      problem: `${who} filters with ${json(filterPolicy)}, which matches nothing the monitor sends (no severity, no alarm)`,
      fix: `${setPolicy(arn, own?.filterPolicy ?? {})}, and declare what it should be in SubscriptionFilterPolicies`,
    };
  }
  return undefined;
};

/**
 * `subscribers`: an alert published to a topic nobody has confirmed reaches no one, and SNS
 * accepts the publish all the same. A confirmed subscription is not enough either: its filter
 * policy decides what reaches it. Each filter must be the one the stack set, or one the operator
 * declared in the stack parameter SubscriptionFilterPolicies (read from the deployed stack, like
 * the stack's own), and must let something the monitor sends through.
 */
export const subscribersCheck = (
  subscriptions: SubscriptionReads,
  stack: StackReads,
  { topicArns }: { topicArns: readonly string[] },
): Check => ({
  id: 'subscribers',
  actions: ['sns:ListSubscriptionsByTopic', 'sns:GetSubscriptionAttributes', ...STACK_READ_ACTIONS],
  async run(now) {
    const deployed = await stack.deployed(now);
    const own = stackSubscriptions(deployed);
    const declaredFilterPolicies = declaredFilters(deployed);
    if (typeof declaredFilterPolicies === 'string') {
      return fail(
        `the stack parameter ${DECLARED_FILTERS_PARAMETER} ${declaredFilterPolicies}: the filters of subscriptions the stack does not make cannot be judged`,
        `deploy the stack with ${DECLARED_FILTERS_PARAMETER} a JSON object such as {"https://chat.example.com/hook":{"severity":["CRITICAL"]}}`,
      );
    }
    const topics = await Promise.all(
      topicArns.map(async (topicArn) => ({
        topicArn,
        ...(await subscriptions.subscriptions(topicArn)),
      })),
    );
    const problems: string[] = [];
    const fixes: string[] = [];
    for (const { topicArn, confirmed, pending } of topics) {
      if (confirmed.length === 0) {
        problems.push(
          `topic ${topicArn} has no confirmed subscription${pending.length > 0 ? ` (${counted(pending.length, 'pending confirmation')})` : ''}: its alerts reach no one`,
        );
        fixes.push(
          'follow the link in the "AWS Notification - Subscription Confirmation" email (it expires after 3 days; then subscribe again: aws sns subscribe --topic-arn TOPIC --protocol email --notification-endpoint ADDRESS), or subscribe chat or a pager to the topic',
        );
        continue;
      }
      for (const subscription of confirmed) {
        const mine = own.find(
          (candidate) =>
            candidate.topicArn === topicArn &&
            candidate.protocol === subscription.protocol &&
            candidate.endpoint === subscription.endpoint,
        );
        const found = filterProblem(subscription, mine, declaredFilterPolicies);
        if (found !== undefined) {
          problems.push(`on topic ${topicArn}, ${found.problem}`);
          fixes.push(found.fix);
        }
      }
      for (const missing of own.filter(
        (candidate) =>
          candidate.topicArn === topicArn &&
          ![...confirmed, ...pending].some(
            ({ protocol, endpoint }) =>
              protocol === candidate.protocol && endpoint === candidate.endpoint,
          ),
      )) {
        problems.push(
          `the stack's subscription ${missing.logicalId} of ${missing.protocol} ${missing.endpoint} to topic ${topicArn} is gone`,
        );
        fixes.push(
          `aws sns subscribe --topic-arn ${topicArn} --protocol ${missing.protocol} --notification-endpoint ${missing.endpoint} --attributes '${JSON.stringify({ FilterPolicyScope: missing.filterPolicyScope, FilterPolicy: json(missing.filterPolicy) })}', then confirm it; look in CloudTrail for who called Unsubscribe`,
        );
      }
    }
    if (problems.length > 0) {
      return fail(problems.join('; '), [...new Set(fixes)].join('; '));
    }
    const heard = topics
      .map(
        ({ topicArn, confirmed, pending }) =>
          `topic ${topicArn}: ${counted(confirmed.length, 'confirmed subscription')} (${[...new Set(confirmed.map(({ protocol }) => protocol))].sort().join(', ')})${pending.length > 0 ? `, ${pending.length} pending` : ''}`,
      )
      .join('; ');
    return pass(`${heard}, each filter as the stack or SubscriptionFilterPolicies sets it`);
  },
});
