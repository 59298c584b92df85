import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';

/** The topic the alerts go to. Subject, body and attributes are built by the alert module. */
export class AlertTopic {
  readonly #client: SNSClient;

  constructor(client: SNSClient = new SNSClient()) {
    this.#client = client;
  }

  /**
   * Publishes one message and returns SNS's MessageId. Errors propagate: the caller releases
   * its dedup claim and throws, so the Lambda retry delivers the alert.
   */
  async publish(message: PublishCommandInput): Promise<string | undefined> {
    const { MessageId } = await this.#client.send(new PublishCommand(message));
    return MessageId;
  }
}
