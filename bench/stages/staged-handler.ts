import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';

/**
 * What a build of the alert path does beyond the floor's four calls, one stage at a time: each
 * stage's handler runs the stages before it too, so that what a stage costs is its handler
 * against the one before. Without any, this is the straightforward build: middy and
 * Powertools, none of root-monitor's own work.
 */
export interface Stages<Config, Alert> {
  /** The configuration document, parsed and validated. */
  validate?(text: string): Config;
  /** The alert the event calls for, decided by the rules under the configuration. */
  decide?(event: unknown, config: Config | undefined): Alert | undefined;
  /** The message a person reads, instead of the raw event. */
  render?(alert: Alert, topicArn: string): PublishCommandInput;
}

export const stagedHandler = <Config, Alert>(stages: Stages<Config, Alert>) => {
  const logger = new Logger();
  const ssm = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
  const dynamodb = new DynamoDBClient({});
  const sns = new SNSClient({});
  const topicArn = process.env.ALERT_TOPIC_ARN ?? '';
  return middy(async (event: { detail?: { eventID?: string } }) => {
    const text = (await ssm.get(process.env.CONFIG_PARAMETER ?? '', { maxAge: 60 })) ?? '';
    const config = stages.validate?.(text);
    const alert = stages.decide?.(event, config);
    if (stages.decide !== undefined && alert === undefined) return { alerted: false };
    await dynamodb.send(
      new PutItemCommand({
        TableName: process.env.DEDUP_TABLE_NAME,
        Item: { pk: { S: `event#${event.detail?.eventID}` } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    logger.critical('ROOT_ACCOUNT_USAGE', { configBytes: text.length });
    const { MessageId } = await sns.send(
      new PublishCommand(
        alert !== undefined && stages.render !== undefined
          ? stages.render(alert, topicArn)
          : { TopicArn: topicArn, Message: JSON.stringify(event) },
      ),
    );
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: process.env.DEDUP_TABLE_NAME,
        Key: { pk: { S: `event#${event.detail?.eventID}` } },
        UpdateExpression: 'SET sent = :messageId',
        ExpressionAttributeValues: { ':messageId': { S: MessageId ?? '' } },
      }),
    );
    return { alerted: true, messageId: MessageId };
  }).use(injectLambdaContext(logger));
};
