import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { describeError } from '../errors.js';
import type { PipelineLogger } from '../pipeline/ports.js';

/**
 * SNS's answers that say this topic cannot take the message, whatever is retried: its KMS key is
 * disabled, pending deletion, gone or closed to us (root can do each of these to a customer
 * managed key), or the topic itself is gone or its policy refuses us. SNS or KMS being busy or
 * down (throttling, `KMSThrottlingException` included, internal errors, timeouts) is not among
 * them: KMS request quotas are shared by every key of the account and Region, so another topic
 * would fare no better, and the Lambda's retry is the answer to those.
 */
const TOPIC_UNUSABLE = new Set([
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSAccessDeniedException',
  'KMSOptInRequired',
  'NotFoundException',
  'AuthorizationErrorException',
]);

/**
 * The log message when the alert topic refused a message and the fallback took it: a metric
 * filter counts these lines and alarms, since subscribers of the alert topic alone miss them.
 */
export const ALERT_TOPIC_REFUSED = 'ALERT_TOPIC_REFUSED';

const unusableTopic = (error: unknown): boolean =>
  error instanceof Error && TOPIC_UNUSABLE.has(error.name);

export interface AlertTopicOptions {
  /**
   * A second topic, encrypted with a different key, for a message the first one refuses as
   * unusable. Its subscribers are the same people.
   */
  fallbackTopicArn?: string | undefined;
  logger?: PipelineLogger;
}

/** The topic the alerts go to. Subject, body and attributes are built by the alert module. */
export class AlertTopic {
  readonly #client: SNSClient;
  readonly #fallbackTopicArn: string | undefined;
  readonly #logger: PipelineLogger | undefined;

  constructor(client: SNSClient = new SNSClient(), options: AlertTopicOptions = {}) {
    this.#client = client;
    this.#fallbackTopicArn = options.fallbackTopicArn;
    this.#logger = options.logger;
  }

  /**
   * Publishes one message and returns SNS's MessageId. When SNS refuses the topic itself (a KMS
   * error on its key, the topic deleted or closed to us), the same message goes to the fallback
   * topic. Other errors, and the fallback's own, propagate: the caller releases its dedup claim
   * and throws, so the Lambda retry delivers the alert.
   */
  async publish(message: PublishCommandInput): Promise<string | undefined> {
    try {
      return await this.#send(message);
    } catch (error) {
      const fallback = this.#fallbackTopicArn;
      if (fallback === undefined || fallback === message.TopicArn || !unusableTopic(error)) {
        throw error;
      }
      this.#logger?.error(ALERT_TOPIC_REFUSED, {
        action: 'publishing the message to the fallback topic instead',
        error: describeError(error),
        topicArn: message.TopicArn,
        fallbackTopicArn: fallback,
      });
      return await this.#send({ ...message, TopicArn: fallback });
    }
  }

  async #send(message: PublishCommandInput): Promise<string | undefined> {
    const { MessageId } = await this.#client.send(new PublishCommand(message));
    return MessageId;
  }
}
