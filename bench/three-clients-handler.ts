import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/**
 * The floor under any build of root-monitor: the four AWS calls an alert needs on a cold start
 * (read the configuration, claim, publish, mark the claim sent), with bare SDK clients and
 * nothing else. No middy, no Powertools, no validation, rules or rendering.
 */
const ssm = new SSMClient({});
const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});

export const handler = async (event: { detail?: { eventID?: string } }) => {
  const { Parameter } = await ssm.send(
    new GetParameterCommand({ Name: process.env.CONFIG_PARAMETER ?? '' }),
  );
  await dynamodb.send(
    new PutItemCommand({
      TableName: process.env.DEDUP_TABLE_NAME,
      Item: { pk: { S: `event#${event.detail?.eventID}` } },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: process.env.ALERT_TOPIC_ARN,
      Message: JSON.stringify({ event, configBytes: Parameter?.Value?.length ?? 0 }),
    }),
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
};
