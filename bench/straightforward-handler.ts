import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';

/**
 * The calibration point between the seed and root-monitor: the same four calls, middy and
 * Powertools, with none of root-monitor's own work (no validation, rules, rendering or
 * escaping). What root-monitor costs beyond it is its own code.
 */
const logger = new Logger();
const ssm = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});

export const handler = middy(async (event: { detail?: { eventID?: string } }) => {
  const config = await ssm.get(process.env.CONFIG_PARAMETER ?? '', { maxAge: 60 });
  await dynamodb.send(
    new PutItemCommand({
      TableName: process.env.DEDUP_TABLE_NAME,
      Item: { pk: { S: `event#${event.detail?.eventID}` } },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  logger.critical('ROOT_ACCOUNT_USAGE', { configBytes: config?.length ?? 0 });
  const { MessageId } = await sns.send(
    new PublishCommand({ TopicArn: process.env.ALERT_TOPIC_ARN, Message: JSON.stringify(event) }),
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
