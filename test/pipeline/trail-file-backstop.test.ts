import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { rootRecord, rootSignIn } from '../../rules/cases.js';
import { digestScheduleOnAws } from '../../src/aws/digests-on-aws.js';
import { monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import { handleTrailFileMessages, trailFileBackstopOnAws } from '../../src/aws/trail-file-queue.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import type { Settings } from '../../src/settings.js';
import { useMoto } from '../support/aws-env.js';
import { timeAgo } from '../support/cloudtrail-time.js';
import { createDedupTable } from '../support/dedup-table.js';
import { scheduledEvent } from '../support/monitor-stack.js';
import { recordingLogger } from '../support/recording-logger.js';
import { sqsRecordOf } from '../support/sqs-record.js';
import { createTopicInbox } from '../support/topic-inbox.js';

useMoto();

const s3 = new S3Client();
const sqs = new SQSClient();
const ACCOUNT = '111122223333';

/** A trail bucket that notifies a queue of new log files, as the stack's backstop expects. */
const trailBucket = async () => {
  const suffix = randomUUID().slice(0, 8);
  const bucket = `trail-${suffix}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `trail-files-${suffix}` }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn as string;
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            QueueArn: queueArn,
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'prefix', Value: 'AWSLogs/' },
                  { Name: 'suffix', Value: '.json.gz' },
                ],
              },
            },
          },
        ],
      },
    }),
  );
  let files = 0;
  /** Writes a log file under today's prefix, as CloudTrail names it; returns its key. */
  const putLogFile = async (body: Buffer): Promise<string> => {
    files++;
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    const key = `AWSLogs/o-exampleorg/${ACCOUNT}/CloudTrail/us-east-1/${day}/${ACCOUNT}_CloudTrail_us-east-1_20261001T1000Z_file${files}.json.gz`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return key;
  };
  /** What the queue holds, as the Lambda's SQS event source would hand it on. */
  const pendingEvent = async (): Promise<SQSEvent> => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    return {
      Records: Messages.map((message) =>
        sqsRecordOf({
          body: message.Body as string,
          queueArn,
          messageId: message.MessageId as string,
          receiptHandle: message.ReceiptHandle as string,
          md5OfBody: message.MD5OfBody as string,
        }),
      ),
    };
  };
  return { bucket, putLogFile, pendingEvent };
};

/** The monitor's resources, unique to the test, and a backstop and real-time monitor on them. */
const deploy = async () => {
  const inbox = await createTopicInbox();
  const dedupTableName = await createDedupTable();
  const settings: Settings = {
    topicArn: inbox.topicArn,
    dedupTableName,
    configParameter: `/root-monitor-${randomUUID().slice(0, 8)}/config`,
    configMaxAgeSeconds: 1,
    configStaleAlarmSeconds: 900,
    forensicsBucket: undefined,
    forensicsKmsKeyId: undefined,
    monitor: {},
  };
  const logger = recordingLogger();
  const backstop = trailFileBackstopOnAws(settings, logger);
  return {
    inbox,
    logger,
    realTime: monitorOnAws(settings, recordingLogger()),
    digests: digestScheduleOnAws(settings, recordingLogger()),
    handle: (event: SQSEvent) => handleTrailFileMessages(backstop, event, logger),
  };
};

const logFile = (records: readonly CloudTrailRecord[]): Buffer =>
  gzipSync(JSON.stringify({ Records: records }));

const otherIdentity = (): CloudTrailRecord =>
  rootRecord({
    eventID: randomUUID(),
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice` },
  });

const noMfaSignIn = (minutesAgo: number): CloudTrailRecord =>
  rootSignIn({
    eventID: randomUUID(),
    eventTime: timeAgo(minutesAgo),
    additionalEventData: { MFAUsed: 'No' },
  });

/** The EventBridge envelope real-time delivery hands a record in. */
const sourceOf = (record: CloudTrailRecord) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.ec2',
  account: ACCOUNT,
  time: record.eventTime,
  region: 'us-east-1',
  resources: [],
});

describe('Trail file backstop (moto: S3 notification -> SQS -> function -> SNS)', () => {
  it('alerts root usage only a trail file carries, saying real-time delivery missed it and how late', async () => {
    const { inbox, handle, logger } = await deploy();
    const trail = await trailBucket();
    const key = await trail.putLogFile(
      logFile([otherIdentity(), noMfaSignIn(12), otherIdentity()]),
    );

    const event = await trail.pendingEvent();
    const response = await handle(event);

    expect(event.Records.length).toBeGreaterThan(0);
    expect(response).toEqual({ batchItemFailures: [] });
    const [alert, ...others] = await inbox.receiveAll();
    expect(others).toEqual([]);
    expect(alert?.subject).toMatch(/^\[CRITICAL\] Root console sign-in without MFA/);
    const email = JSON.parse(alert?.message ?? '{}') as { content?: { description?: string } };
    expect(email.content?.description).toMatch(
      /Real-time delivery \(EventBridge\) missed this event: it was found in the CloudTrail log file `s3\[:\]\/\/trail-[^`]+file1\.json\.gz`, and this alert is 12 minutes after the event\./,
    );
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'critical',
        message: 'ROOT_ACCOUNT_USAGE',
        fields: expect.objectContaining({
          trailFile: `s3[:]//${trail.bucket}/${key}`,
          lateSeconds: expect.any(Number),
        }),
      }),
    );
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'Trail file read',
        fields: expect.objectContaining({ records: 3, rootEvents: 1, alerts: 1 }),
      }),
    );
  });

  it('gives one alert for an event that both EventBridge and the trail file deliver', async () => {
    const { inbox, handle, realTime, logger } = await deploy();
    const trail = await trailBucket();
    const record = noMfaSignIn(6);
    await realTime.handle({
      version: '0',
      id: randomUUID(),
      'detail-type': 'AWS Console Sign In via CloudTrail',
      source: 'aws.signin',
      account: ACCOUNT,
      time: record.eventTime,
      region: 'us-east-1',
      resources: [],
      detail: record,
    });
    await trail.putLogFile(logFile([otherIdentity(), record]));

    const response = await handle(await trail.pendingEvent());

    expect(response).toEqual({ batchItemFailures: [] });
    // The file was read, its root event judged a duplicate of the one EventBridge delivered.
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'Trail file read',
        fields: expect.objectContaining({ records: 2, rootEvents: 1, alerts: 0 }),
      }),
    );
    const alerts = await inbox.receiveAll();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).not.toContain('Real-time delivery');
  });

  it('alerts nothing again when a trail file brings the events of a window that has since been replaced', async () => {
    const { inbox, handle, realTime, logger } = await deploy();
    const trail = await trailBucket();
    // root-activity collapses calls from one address for 15 minutes: E1 alerts, E2 is counted,
    // and E3, after the window closed, opens the next window.
    const call = (minutesAgo: number): CloudTrailRecord =>
      rootRecord({ eventID: randomUUID(), eventTime: timeAgo(minutesAgo) });
    const [e1, e2, e3] = [call(100), call(90), call(30)];
    for (const record of [e1, e2, e3]) {
      await realTime.handle({ ...sourceOf(record), detail: record });
    }
    expect(await inbox.receiveAll()).toHaveLength(2);

    await trail.putLogFile(logFile([e1, e2, e3]));
    const response = await handle(await trail.pendingEvent());

    expect(response).toEqual({ batchItemFailures: [] });
    // All three were read from the file and judged again: none alerts a second time.
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'Trail file read',
        fields: expect.objectContaining({ records: 3, rootEvents: 3, alerts: 0 }),
      }),
    );
    expect(await inbox.receiveAll()).toEqual([]);
  });

  it('names a corrupt file in batchItemFailures and alerts the rest of the batch', async () => {
    const { inbox, handle, logger } = await deploy();
    const trail = await trailBucket();
    const good = noMfaSignIn(8);
    const whole = logFile([otherIdentity(), otherIdentity()]);
    await trail.putLogFile(whole.subarray(0, whole.length - 12));
    await trail.putLogFile(logFile([good]));

    const event = await trail.pendingEvent();
    const response = await handle(event);

    const corrupt = event.Records.find((record) => record.body.includes('_file1.json.gz'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: corrupt?.messageId }]);
    const alerts = await inbox.receiveAll();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain(good.eventID as string);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Trail file message failed; SQS will deliver it again',
        fields: expect.objectContaining({
          error: expect.stringMatching(/LogFileError: .*_file1\.json\.gz: corrupt gzip data/),
        }),
      }),
    );
  });

  it('alerts the root usage read before a defect, fails the message, and alerts it once when it comes back', async () => {
    const { inbox, handle } = await deploy();
    const trail = await trailBucket();
    const record = noMfaSignIn(20);
    const text = JSON.stringify({ Records: [record, otherIdentity()] });
    await trail.putLogFile(gzipSync(text.slice(0, -30)));

    const event = await trail.pendingEvent();
    const first = await handle(event);
    const again = await handle(event);

    expect(first.batchItemFailures).toHaveLength(1);
    expect(again.batchItemFailures).toHaveLength(1);
    const alerts = await inbox.receiveAll();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain(record.eventID as string);
  });

  it('acknowledges messages that announce no log file of events: digests, S3 test events', async () => {
    const { inbox, handle } = await deploy();
    const event: SQSEvent = {
      Records: [
        JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'trail' }),
        JSON.stringify({
          Records: [
            {
              s3: {
                bucket: { name: 'trail' },
                object: {
                  key: `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/10/01/${ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20261001T100000Z.json.gz`,
                },
              },
            },
          ],
        }),
      ].map((body, index) =>
        sqsRecordOf({
          body,
          queueArn: 'arn:aws:sqs:us-east-1:111122223333:trail-files',
          messageId: `message-${index}`,
        }),
      ),
    };

    expect(await handle(event)).toEqual({ batchItemFailures: [] });
    expect(await inbox.receiveAll()).toEqual([]);
  });

  it('counts in the open window the older events a trail file brings later, and the digest reports them with their times', async () => {
    const { inbox, handle, realTime, digests: digestSchedule, logger } = await deploy();
    const trail = await trailBucket();
    const address = '203.0.113.44';
    // Root's session: an alert at "10:00" (100 minutes ago), in real time.
    const opener = rootRecord({
      eventID: randomUUID(),
      eventTime: timeAgo(100),
      sourceIPAddress: address,
    });
    expect(await realTime.handle({ ...sourceOf(opener), detail: opener })).toMatchObject({
      decision: 'alert',
    });
    // Then a trail file with what real-time delivery missed: "09:00" to "09:29".
    const backfill = Array.from({ length: 30 }, (_, minute) =>
      rootRecord({
        eventID: randomUUID(),
        eventTime: timeAgo(160 - minute),
        sourceIPAddress: address,
        eventName: 'GetBucketPolicy',
        eventSource: 's3.amazonaws.com',
      }),
    );
    await trail.putLogFile(logFile(backfill));

    expect(await handle(await trail.pendingEvent())).toEqual({ batchItemFailures: [] });

    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'Trail file read',
        fields: expect.objectContaining({ records: 30, rootEvents: 30, alerts: 0 }),
      }),
    );
    const [alert, ...noMore] = await inbox.receiveAll();
    expect(alert?.subject).toMatch(/Root/);
    expect(noMore).toEqual([]);

    const digests = await digestSchedule.handle(scheduledEvent());

    expect(digests).toMatchObject({ decision: 'digests', results: [{ events: 30 }] });
    const [digest] = await inbox.receiveAll();
    // The chat payload, as the topic's subscribers other than email receive it.
    const chat = JSON.parse(digest?.message ?? '{}') as { content?: { description?: string } };
    const description = chat.content?.description ?? '';
    expect(description).toContain(`*Events:* 30, first at ${backfill[0]?.eventTime}`);
    expect(description).toContain(
      "30 events happened before the opening alert's event and arrived after it (concurrent deliveries, or a CloudTrail log file); the earliest at",
    );
    expect(description).toContain('1 h 00 min before it.');
    expect(description).toMatch(
      /30 events came from CloudTrail log files, not in real time: EventBridge did not deliver them, and the latest was counted 2 h 4\d min after it happened\./,
    );
  });
});
