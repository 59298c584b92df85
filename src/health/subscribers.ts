import { type Check, fail, pass } from './check.js';
import type { SubscriptionReads } from './reads.js';

const counted = (count: number, what: string): string =>
  `${count} ${what}${count === 1 ? '' : 's'}`;

/**
 * `subscribers`: an alert published to a topic nobody has confirmed reaches no one. SNS accepts
 * the publish all the same, so nothing else fails.
 */
export const subscribersCheck = (
  subscriptions: SubscriptionReads,
  { topicArns }: { topicArns: readonly string[] },
): Check => ({
  id: 'subscribers',
  actions: ['sns:ListSubscriptionsByTopic'],
  async run() {
    const topics = await Promise.all(
      topicArns.map(async (topicArn) => ({
        topicArn,
        ...(await subscriptions.subscriptions(topicArn)),
      })),
    );
    const unheard = topics.filter(({ confirmed }) => confirmed.length === 0);
    if (unheard.length > 0) {
      return fail(
        `${unheard
          .map(
            ({ topicArn, pending }) =>
              `topic ${topicArn} has no confirmed subscription${pending > 0 ? ` (${counted(pending, 'pending confirmation')})` : ''}`,
          )
          .join('; ')}: its alerts reach no one`,
        'follow the link in the "AWS Notification - Subscription Confirmation" email (it expires after 3 days; then subscribe again: aws sns subscribe --topic-arn TOPIC --protocol email --notification-endpoint ADDRESS), or subscribe chat or a pager to the topic',
      );
    }
    return pass(
      topics
        .map(
          ({ topicArn, confirmed, pending }) =>
            `topic ${topicArn}: ${counted(confirmed.length, 'confirmed subscription')} (${[...new Set(confirmed)].sort().join(', ')})${pending > 0 ? `, ${pending} pending` : ''}`,
        )
        .join('; '),
    );
  },
});
