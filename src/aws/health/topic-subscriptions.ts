import { paginateListSubscriptionsByTopic, type SNSClient } from '@aws-sdk/client-sns';
import type { SubscriptionReads, TopicSubscriptions } from '../../health/reads.js';

/** SNS names a subscription awaiting its confirmation link by this, in place of its ARN. */
const PENDING = 'PendingConfirmation';
/** ...and one removed but still listed for a while by this. */
const DELETED = 'Deleted';

/** Who is subscribed to a topic. */
export class TopicSubscriptionList implements SubscriptionReads {
  readonly #client: SNSClient;

  constructor(client: SNSClient) {
    this.#client = client;
  }

  async subscriptions(topicArn: string): Promise<TopicSubscriptions> {
    const confirmed: string[] = [];
    let pending = 0;
    for await (const page of paginateListSubscriptionsByTopic(
      { client: this.#client },
      { TopicArn: topicArn },
    )) {
      for (const { SubscriptionArn, Protocol } of page.Subscriptions ?? []) {
        if (SubscriptionArn === PENDING) pending += 1;
        else if (SubscriptionArn !== undefined && SubscriptionArn !== DELETED) {
          confirmed.push(Protocol ?? 'unknown');
        }
      }
    }
    return { confirmed, pending };
  }
}
