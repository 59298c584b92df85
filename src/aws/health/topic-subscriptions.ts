import {
  GetSubscriptionAttributesCommand,
  paginateListSubscriptionsByTopic,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type {
  SubscriptionReads,
  SubscriptionView,
  TopicSubscriptions,
} from '../../health/ports.js';

/** SNS names a subscription awaiting its confirmation link by this, in place of its ARN. */
const PENDING = 'PendingConfirmation';
/** ...and one removed but still listed for a while by this. */
const DELETED = 'Deleted';

/** A filter policy as SNS holds it (a JSON string), parsed; one that is not JSON is kept as text. */
const parsedPolicy = (text: string | undefined): unknown => {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Who is subscribed to a topic, and which messages each subscription lets through. */
export class TopicSubscriptionList implements SubscriptionReads {
  readonly #client: SNSClient;

  constructor(client: SNSClient) {
    this.#client = client;
  }

  async subscriptions(topicArn: string): Promise<TopicSubscriptions> {
    const listed: { arn: string; protocol: string; endpoint: string }[] = [];
    const pending: { protocol: string; endpoint: string }[] = [];
    for await (const page of paginateListSubscriptionsByTopic(
      { client: this.#client },
      { TopicArn: topicArn },
    )) {
      for (const { SubscriptionArn, Protocol = 'unknown', Endpoint = '' } of page.Subscriptions ??
        []) {
        if (SubscriptionArn === PENDING) pending.push({ protocol: Protocol, endpoint: Endpoint });
        else if (SubscriptionArn !== undefined && SubscriptionArn !== DELETED) {
          listed.push({ arn: SubscriptionArn, protocol: Protocol, endpoint: Endpoint });
        }
      }
    }
    const confirmed = await Promise.all(
      listed.map(async (subscription): Promise<SubscriptionView> => {
        const { Attributes = {} } = await this.#client.send(
          new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.arn }),
        );
        return {
          ...subscription,
          filterPolicy: parsedPolicy(Attributes.FilterPolicy),
          filterPolicyScope: Attributes.FilterPolicyScope || 'MessageAttributes',
        };
      }),
    );
    return { confirmed, pending };
  }
}
