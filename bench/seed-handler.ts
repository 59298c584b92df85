import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/**
 * The baseline root-monitor is measured against: the handler a tutorial would write. One SNS
 * client, one publish of the raw event per root event; no configuration, dedup or logging.
 */
const sns = new SNSClient({});

export const handler = async (event: { detail?: { userIdentity?: { type?: string } } }) => {
  if (event.detail?.userIdentity?.type !== 'Root') return { alerted: false };
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: process.env.ALERT_TOPIC_ARN,
      Subject: 'Root account usage detected',
      Message: JSON.stringify(event, null, 2),
    }),
  );
  return { alerted: true, messageId: MessageId };
};
