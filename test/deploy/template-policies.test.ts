import { describe, expect, it } from 'vitest';
import { DIGESTS_DUE_INDEX } from '../../src/aws/counted-event-item.js';
import { DEDUP_TABLE_SHAPE, DEDUP_TABLE_TTL_ATTRIBUTE } from '../../src/aws/dedup-table-shape.js';
import {
  asList,
  grantsBySid,
  grantsOf,
  isObject,
  loadTemplate,
  type Resource,
  resourceOf,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';
import { transformedTemplate } from './transformed-template.js';

type Statement = Record<string, TemplateValue>;

/** The statements of a policy document held in `property` of a resource. */
const statementsOf = (
  resource: Resource,
  property: 'PolicyDocument' | 'KeyPolicy',
): Statement[] => {
  const document = resource.Properties?.[property];
  if (!isObject(document)) throw new Error(`the resource has no ${property}`);
  return asList(document.Statement).filter(isObject);
};

const statementWithSid = (statements: readonly Statement[], sid: string): Statement => {
  const statement = statements.find((candidate) => candidate.Sid === sid);
  if (statement === undefined) {
    throw new Error(`no statement ${sid}; found ${statements.map(({ Sid }) => Sid).join(', ')}`);
  }
  return statement;
};

const getAtt = (logicalId: string, attribute: string) => ({
  'Fn::GetAtt': [logicalId, attribute],
});
const ref = (name: string) => ({ Ref: name });
const sub = (text: string) => ({ 'Fn::Sub': text });

/** Exactly these items, in whatever order (the SAM transform sorts resources by name). */
const inAnyOrder = (items: readonly TemplateValue[]) => ({
  asymmetricMatch: (actual: unknown) =>
    Array.isArray(actual) &&
    JSON.stringify(actual.map((item) => JSON.stringify(item)).sort()) ===
      JSON.stringify(items.map((item) => JSON.stringify(item)).sort()),
  toString: () => `the ${items.length} alarms, in any order`,
});

/**
 * The alarms of this stack that notify the alarm topic, by ARN (their name), each under its own
 * condition: exactly those, and no other alarm of the account, however it is named.
 */
const stackAlarms = (template: Template): TemplateValue[] =>
  Object.values(template.Resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::CloudWatch::Alarm' &&
        asList(resource.Properties?.AlarmActions).some(
          (action) => JSON.stringify(action) === JSON.stringify(ref('AlarmTopic')),
        ),
    )
    .map((resource) => {
      const name = String(
        isObject(resource.Properties?.AlarmName) ? resource.Properties.AlarmName['Fn::Sub'] : '',
      );
      const arn = sub(
        `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${name}`,
      );
      return resource.Condition === undefined
        ? arn
        : { 'Fn::If': [resource.Condition, arn, ref('AWS::NoValue')] };
    });
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
const THIS_ACCOUNT = sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
/**
 * The roles that publish: the alert function's, the guard's, the digest function's, the health
 * check's for its own alerts, and the backstop's when there is one.
 */
const PUBLISHERS = [
  getAtt('RootMonitorRole', 'Arn'),
  getAtt('GuardRole', 'Arn'),
  getAtt('DigestRole', 'Arn'),
  getAtt('HealthCheckRole', 'Arn'),
  { 'Fn::If': ['BackstopEnabled', getAtt('TrailFileRole', 'Arn'), ref('AWS::NoValue')] },
];

/** The dedup table's ARN, spelled out from the name the stack gives it. */
const DEDUP_TABLE_ARN =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
  'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${AWS::StackName}-dedup';

/** Actions that encrypt, decrypt or hand out the key's use to someone else. */
const KEY_USE = /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant|\*)/;

/** The queues where undelivered and failed root events are parked, and the alarm on each. */
const PARKING_QUEUES = [
  ['RuleDeadLetterQueue', 'RuleDeadLetterQueueAlarm'],
  ['OnFailureQueue', 'OnFailureQueueAlarm'],
] as const;

// The same checks on the file as written and on what CloudFormation deploys after the SAM
// transform, which could in principle rewrite any of it.
describe.each([
  ['template.yaml', () => loadTemplate('template.yaml')],
  ['template.yaml after the SAM transform', transformedTemplate],
] as [string, () => Template][])('security properties of %s', (_name, load) => {
  const template = load();

  describe('the alert topic', () => {
    const topic = resourceOf(template, 'AlertTopic');
    const policy = resourceOf(template, 'AlertTopicPolicy');
    const statements = statementsOf(policy, 'PolicyDocument');

    it('is encrypted with the AWS managed key, which no principal can disable or delete', () => {
      expect(topic.Properties?.KmsMasterKeyId).toBe('alias/aws/sns');
    });

    it('has its policy attached to it and to nothing else', () => {
      expect(policy.Properties?.Topics).toEqual([ref('AlertTopic')]);
      for (const statement of statements) {
        expect(statement.Resource).toEqual(ref('AlertTopic'));
      }
    });

    it('lets the function roles publish, and denies every other principal, services included', () => {
      expect(statements).toEqual([
        {
          Sid: 'FunctionPublishes',
          Effect: 'Allow',
          Principal: { AWS: PUBLISHERS },
          Action: 'sns:Publish',
          Resource: ref('AlertTopic'),
        },
        {
          Sid: 'NobodyElsePublishes',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: ref('AlertTopic'),
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': PUBLISHERS } },
        },
      ]);
    });
  });

  describe('the alarm topic', () => {
    const topic = resourceOf(template, 'AlarmTopic');
    const policy = resourceOf(template, 'AlarmTopicPolicy');
    const statements = statementsOf(policy, 'PolicyDocument');

    it('is encrypted with the stack key, whose policy admits the alarms', () => {
      expect(topic.Properties?.KmsMasterKeyId).toEqual(getAtt('AlertKey', 'Arn'));
    });

    it('has its policy attached to it and to nothing else', () => {
      expect(policy.Properties?.Topics).toEqual([ref('AlarmTopic')]);
      for (const statement of statements) {
        expect(statement.Resource).toEqual(ref('AlarmTopic'));
      }
    });

    it('lets the function roles publish, for alerts the alert topic refused', () => {
      expect(statementWithSid(statements, 'FunctionPublishes')).toEqual({
        Sid: 'FunctionPublishes',
        Effect: 'Allow',
        Principal: { AWS: PUBLISHERS },
        Action: 'sns:Publish',
        Resource: ref('AlarmTopic'),
      });
    });

    it("lets CloudWatch publish only for this account's alarms, each named", () => {
      expect(statementWithSid(statements, 'StackAlarmsPublish')).toEqual({
        Sid: 'StackAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: ref('AlarmTopic'),
        Condition: {
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
          ArnEquals: { 'aws:SourceArn': inAnyOrder(stackAlarms(template)) },
        },
      });
    });

    it('denies publishing to every other principal, administrators and root included', () => {
      // ArnNotEquals on aws:PrincipalArn (the role ARN, whatever the session), and the
      // IfExists form for the service flag, so a request is denied unless it is the role or an
      // AWS service; services are then admitted only by the SourceArn-scoped Allow above.
      expect(statementWithSid(statements, 'NobodyElsePublishes')).toEqual({
        Sid: 'NobodyElsePublishes',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: ref('AlarmTopic'),
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': PUBLISHERS },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      });
    });

    it('allows nothing beyond those statements', () => {
      expect(statements.map(({ Sid, Effect }) => [Sid, Effect])).toEqual([
        ['FunctionPublishes', 'Allow'],
        ['StackAlarmsPublish', 'Allow'],
        ['NobodyElsePublishes', 'Deny'],
      ]);
    });
  });

  it('names as publishers every role that may publish, under the condition the role exists', () => {
    const publishing = Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
      .filter(([logicalId]) =>
        JSON.stringify(grantsOf(template, logicalId)).includes('"sns:Publish"'),
      )
      .map(([logicalId, resource]) =>
        resource.Condition === undefined
          ? getAtt(logicalId, 'Arn')
          : { 'Fn::If': [resource.Condition, getAtt(logicalId, 'Arn'), ref('AWS::NoValue')] },
      );

    expect(publishing).toEqual(expect.arrayContaining(PUBLISHERS));
    expect(publishing).toHaveLength(PUBLISHERS.length);
  });

  it('lets the function publish to both topics and use only the stack key, not the AWS managed one', () => {
    const grants = grantsBySid(template, 'RootMonitorRole');

    expect(grants.get('PublishAlerts')?.statement.Resource).toEqual([
      ref('AlertTopic'),
      ref('AlarmTopic'),
    ]);
    expect(grants.get('EncryptWithAlertKey')?.statement.Resource).toEqual(
      getAtt('AlertKey', 'Arn'),
    );
  });

  describe('the alert key', () => {
    const key = resourceOf(template, 'AlertKey');
    const statements = statementsOf(key, 'KeyPolicy');
    const usersOfKey = statements.filter((statement) =>
      asList(statement.Action).some((action) => typeof action === 'string' && KEY_USE.test(action)),
    );

    it('rotates, and outlives the stack so retained forensics snapshots stay readable', () => {
      expect(key.Properties?.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.UpdateReplacePolicy).toBe('Retain');
    });

    it('lets the account administer the key but not use it directly', () => {
      const administration = statementWithSid(statements, 'AccountAdministersKey');

      expect(administration).toMatchObject({ Effect: 'Allow', Principal: { AWS: THIS_ACCOUNT } });
      expect(administration.Condition).toBeUndefined();
      expect(
        asList(administration.Action).filter((action) => KEY_USE.test(String(action))),
      ).toEqual([]);
    });

    it('is used by exactly two statements, each under a condition', () => {
      expect(usersOfKey.map(({ Sid }) => Sid)).toEqual([
        'IamPoliciesMayGrantUseThroughSnsAndS3',
        'StackAlarmsPublishToEncryptedTopic',
      ]);
      for (const statement of usersOfKey) expect(statement.Condition).toBeDefined();
    });

    it("is used by the account's principals only through SNS and S3 in the stack's Region", () => {
      expect(statementWithSid(statements, 'IamPoliciesMayGrantUseThroughSnsAndS3')).toEqual({
        Sid: 'IamPoliciesMayGrantUseThroughSnsAndS3',
        Effect: 'Allow',
        Principal: { AWS: THIS_ACCOUNT },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:ViaService': [
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
              sub('sns.${AWS::Region}.${AWS::URLSuffix}'),
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
              sub('s3.${AWS::Region}.${AWS::URLSuffix}'),
            ],
          },
        },
      });
    });

    it("is used by CloudWatch only for this account's alarms, each named", () => {
      expect(statementWithSid(statements, 'StackAlarmsPublishToEncryptedTopic')).toEqual({
        Sid: 'StackAlarmsPublishToEncryptedTopic',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
          ArnEquals: { 'aws:SourceArn': inAnyOrder(stackAlarms(template)) },
        },
      });
    });

    it('has no statement beyond those three', () => {
      expect(statements.map(({ Sid }) => Sid)).toEqual([
        'AccountAdministersKey',
        'IamPoliciesMayGrantUseThroughSnsAndS3',
        'StackAlarmsPublishToEncryptedTopic',
      ]);
    });
  });

  describe('the forensics bucket', () => {
    const bucket = resourceOf(template, 'ForensicsBucket');
    const policy = resourceOf(template, 'ForensicsBucketPolicy');

    it('exists only when forensics is enabled, with its policy', () => {
      expect(bucket.Condition).toBe('ForensicsEnabled');
      expect(policy.Condition).toBe('ForensicsEnabled');
      expect(policy.Properties?.Bucket).toEqual(ref('ForensicsBucket'));
    });

    it('keeps every version of a snapshot, and outlives the stack', () => {
      expect(bucket.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.UpdateReplacePolicy).toBe('Retain');
    });

    it('encrypts with the stack key by default', () => {
      expect(bucket.Properties?.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: getAtt('AlertKey', 'Arn'),
            },
            BucketKeyEnabled: true,
          },
        ],
      });
    });

    it('blocks public access in all four ways, and disables ACLs', () => {
      expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties?.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
    });

    it('denies every request to the bucket and its objects that is not over TLS', () => {
      expect(statementsOf(policy, 'PolicyDocument')).toContainEqual({
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [
          getAtt('ForensicsBucket', 'Arn'),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          sub('${ForensicsBucket.Arn}/*'),
        ],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });

    it('refuses a snapshot written with any key but the stack key', () => {
      expect(statementsOf(policy, 'PolicyDocument')).toContainEqual({
        Sid: 'StackKeyOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
        Resource: sub('${ForensicsBucket.Arn}/*'),
        Condition: {
          StringNotEquals: {
            's3:x-amz-server-side-encryption-aws-kms-key-id': getAtt('AlertKey', 'Arn'),
          },
        },
      });
    });

    it('expires snapshots after the retention parameter, old versions and stale uploads too', () => {
      expect(bucket.Properties?.LifecycleConfiguration).toEqual({
        Rules: [
          expect.objectContaining({
            Status: 'Enabled',
            ExpirationInDays: ref('ForensicsRetentionInDays'),
            NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: expect.any(Number) },
          }),
        ],
      });
    });
  });

  describe('the dedup table', () => {
    const table = resourceOf(template, 'DedupTable');

    it('is keyed by the string pk, with the sparse index of digests due and the TTL, as the tests and `try` make it', () => {
      const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, TimeToLiveSpecification } =
        table.Properties ?? {};
      expect({ AttributeDefinitions, KeySchema, GlobalSecondaryIndexes }).toEqual(
        DEDUP_TABLE_SHAPE,
      );
      expect(TimeToLiveSpecification).toEqual({
        AttributeName: DEDUP_TABLE_TTL_ATTRIBUTE,
        Enabled: true,
      });
    });

    it('is read by the digest function only through the index of digests due', () => {
      const grants = grantsOf(template, 'DigestRole').map(({ statement }) => statement);
      expect(grants.filter((grant) => asList(grant.Action).includes('dynamodb:Query'))).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:Query',
          Resource: sub(`${DEDUP_TABLE_ARN}/index/${DIGESTS_DUE_INDEX}`),
        }),
      ]);
    });

    it('is swept for due digests every five minutes by the digest function, given what a schedule sends', () => {
      // As written, a SAM event of the function; after the transform, the rule SAM makes of it.
      const rule = template.Resources.DigestFunctionDigestSchedule;
      const events = resourceOf(template, 'DigestFunction').Properties?.Events;
      const written =
        isObject(events) && isObject(events.DigestSchedule) ? events.DigestSchedule : {};
      const schedule =
        rule === undefined
          ? isObject(written.Properties)
            ? written.Properties
            : {}
          : {
              Schedule: rule.Properties?.ScheduleExpression,
              Input: asList(rule.Properties?.Targets).filter(isObject)[0]?.Input,
            };
      expect(schedule.Schedule).toBe('rate(5 minutes)');
      // No constant input: the function expects EventBridge's own Scheduled Event.
      expect(schedule.Input).toBeUndefined();
    });

    it('expires claims by TTL on expiresAt', () => {
      expect(table.Properties?.TimeToLiveSpecification).toEqual({
        AttributeName: 'expiresAt',
        Enabled: true,
      });
    });

    it('is on-demand and encrypted', () => {
      expect(table.Properties?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties?.SSESpecification).toEqual({ SSEEnabled: true });
    });

    it("is named after the stack, and every role's grant on it names that table", () => {
      // The resource policy names the roles, so the roles cannot refer to the table: they spell
      // out its ARN from the name it is given.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      expect(table.Properties?.TableName).toEqual(sub('${AWS::StackName}-dedup'));
      const onTable = Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
        .flatMap(([logicalId]) => grantsOf(template, logicalId).map(({ statement }) => statement))
        .filter((grant) =>
          asList(grant.Action).some((action) => String(action).startsWith('dynamodb:')),
        );

      expect(onTable.length).toBeGreaterThanOrEqual(6);
      for (const grant of onTable) {
        expect([
          sub(DEDUP_TABLE_ARN),
          sub(`${DEDUP_TABLE_ARN}/index/${DIGESTS_DUE_INDEX}`),
        ]).toContainEqual(grant.Resource);
      }
      expect(JSON.stringify(template)).not.toContain('DedupTable.Arn}/');
    });

    describe('its resource policy', () => {
      const policy = isObject(table.Properties?.ResourcePolicy)
        ? table.Properties.ResourcePolicy
        : {};
      const statements = statementsOf(
        { Type: 'AWS::DynamoDB::Table', Properties: policy },
        'PolicyDocument',
      );

      it('denies every principal but the stack roles the writes of items, by whatever API', () => {
        // An Allow would narrow nothing within the account: an explicit Deny on the principal's
        // ARN (the role's, whatever the session) is what keeps a forged window out.
        expect(statements).toEqual([
          {
            Sid: 'OnlyTheStackRolesWriteItems',
            Effect: 'Deny',
            Principal: '*',
            Action: [
              'dynamodb:PutItem',
              'dynamodb:UpdateItem',
              'dynamodb:DeleteItem',
              'dynamodb:BatchWriteItem',
              'dynamodb:PartiQLInsert',
              'dynamodb:PartiQLUpdate',
              'dynamodb:PartiQLDelete',
            ],
            Resource: sub(DEDUP_TABLE_ARN),
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': PUBLISHERS } },
          },
        ]);
      });

      it('exempts every role that writes the table, under the condition the role exists', () => {
        const writers = Object.entries(template.Resources)
          .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
          .filter(([logicalId]) =>
            /"dynamodb:(PutItem|UpdateItem|DeleteItem)"/.test(
              JSON.stringify(grantsOf(template, logicalId)),
            ),
          )
          .map(([logicalId, resource]) =>
            resource.Condition === undefined
              ? getAtt(logicalId, 'Arn')
              : { 'Fn::If': [resource.Condition, getAtt(logicalId, 'Arn'), ref('AWS::NoValue')] },
          );

        expect(writers.length).toBeGreaterThanOrEqual(4);
        expect(PUBLISHERS).toEqual(expect.arrayContaining(writers));
      });

      it('leaves CloudFormation, and the administrators who deploy it, every control-plane call on the table and the policy', () => {
        // Creating, updating and deleting the table, its TTL and this policy are what a deploy
        // does (as the deployer, or the stack's service role): none is denied, so a redeploy
        // fixes the table or lifts this policy. Only item writes are, and no deploy makes one.
        const denied = statements
          .filter((statement) => statement.Effect === 'Deny')
          .flatMap((statement) => asList(statement.Action).map(String));

        expect(denied.length).toBeGreaterThan(0);
        for (const action of denied) {
          expect(action).toMatch(
            /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Insert|Update|Delete))$/,
          );
        }
        expect(statements.every((statement) => statement.NotAction === undefined)).toBe(true);
      });
    });
  });

  describe('the configuration parameter', () => {
    it('is retained on delete and on replacement, so the live allowlist outlives the stack', () => {
      const parameter = resourceOf(template, 'ConfigParameter');

      expect(parameter.DeletionPolicy).toBe('Retain');
      expect(parameter.UpdateReplacePolicy).toBe('Retain');
    });
  });

  describe.each(PARKING_QUEUES)('the parking queue %s', (queueId, alarmId) => {
    const queue = resourceOf(template, queueId);

    it('is encrypted, and kept with its messages when the stack goes', () => {
      const { SqsManagedSseEnabled, KmsMasterKeyId } = queue.Properties ?? {};

      expect(SqsManagedSseEnabled === true || KmsMasterKeyId !== undefined).toBe(true);
      expect(queue.DeletionPolicy).toBe('Retain');
      expect(queue.UpdateReplacePolicy).toBe('Retain');
    });

    it('raises an alarm on the alarm topic as soon as one message is parked', () => {
      expect(resourceOf(template, alarmId).Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId, 'QueueName') }],
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [ref('AlarmTopic')],
      });
    });
  });

  it("lets only the stack's own rules park events in the dead-letter queue, each rule that parks there", () => {
    const statements = statementsOf(
      resourceOf(template, 'RuleDeadLetterQueuePolicy'),
      'PolicyDocument',
    );
    const parking = Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::Events::Rule')
      .filter(([, resource]) =>
        asList(resource.Properties?.Targets)
          .filter(isObject)
          .some((target) =>
            JSON.stringify(target.DeadLetterConfig ?? null).includes('RuleDeadLetterQueue'),
          ),
      )
      // A rule that exists only under a condition (the pager rules) is admitted under it.
      .map(([logicalId, resource]) =>
        resource.Condition === undefined
          ? getAtt(logicalId, 'Arn')
          : { 'Fn::If': [resource.Condition, getAtt(logicalId, 'Arn'), ref('AWS::NoValue')] },
      );

    expect(parking.length).toBe(13);
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: getAtt('RuleDeadLetterQueue', 'Arn'),
      }),
    ]);
    const admitted = asList(
      (statements[0]?.Condition as { ArnEquals?: Record<string, TemplateValue> } | undefined)
        ?.ArnEquals?.['aws:SourceArn'],
    );
    expect(admitted).toHaveLength(parking.length);
    expect(admitted).toEqual(expect.arrayContaining(parking));
  });

  it("lets only the trail bucket, in this account, announce log files to the backstop's queue", () => {
    const statements = statementsOf(resourceOf(template, 'TrailFileQueuePolicy'), 'PolicyDocument');

    // A bucket ARN names no account: a deleted bucket's name, registered elsewhere, must not post.
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: getAtt('TrailFileQueue', 'Arn'),
        Condition: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          ArnEquals: { 'aws:SourceArn': sub('arn:${AWS::Partition}:s3:::${TrailBucketName}') },
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
        },
      }),
    ]);
  });

  describe("the roles' grants", () => {
    const roles = Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
      .map(([logicalId]) => logicalId);
    const managed = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy',
    );

    it('write no statement twice: what several roles need is one managed policy they attach', () => {
      const written = [
        ...roles.flatMap((logicalId) =>
          asList(resourceOf(template, logicalId).Properties?.Policies)
            .filter(isObject)
            .flatMap((policy) =>
              statementsOf({ Type: 'AWS::IAM::Policy', Properties: policy }, 'PolicyDocument'),
            ),
        ),
        ...managed.flatMap(([, policy]) => statementsOf(policy, 'PolicyDocument')),
      ].map((statement) => {
        // A statement under a condition is written as !If [Condition, statement, AWS::NoValue].
        const conditional = statement['Fn::If'];
        const { Sid: _sid, ...grant } =
          Array.isArray(conditional) && isObject(conditional[1]) ? conditional[1] : statement;
        return JSON.stringify(grant);
      });

      expect(managed.length).toBeGreaterThanOrEqual(5);
      expect(written.filter((grant, index) => written.indexOf(grant) !== index)).toEqual([]);
    });

    it.each(managed.map(([logicalId]) => logicalId))(
      '%s is attached by the roles alone, and named by CloudFormation after the stack, as the guard watches it',
      (logicalId) => {
        const properties = resourceOf(template, logicalId).Properties ?? {};
        const attaching = roles.filter((role) =>
          JSON.stringify(resourceOf(template, role).Properties?.ManagedPolicyArns ?? []).includes(
            JSON.stringify(ref(logicalId)),
          ),
        );

        for (const named of ['ManagedPolicyName', 'Path', 'Roles', 'Users', 'Groups']) {
          expect(properties).not.toHaveProperty(named);
        }
        expect(attaching.length).toBeGreaterThanOrEqual(2);
      },
    );

    it("lets drift detection read the stack's managed policies, as it reads their roles", () => {
      const reads = grantsBySid(template, 'HealthCheckRole').get('ReadStackManagedPolicies');

      expect(reads).toEqual({
        condition: null,
        statement: {
          Sid: 'ReadStackManagedPolicies',
          Effect: 'Allow',
          Action: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListEntitiesForPolicy'],
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
          Resource: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${AWS::StackName}-*'),
        },
      });
    });
  });
});

describe('security properties of infra/region-forwarder.yaml', () => {
  const forwarder = loadTemplate('infra/region-forwarder.yaml');
  const queue = resourceOf(forwarder, 'ForwardingDeadLetterQueue');
  const alarm = resourceOf(forwarder, 'ForwardingDeadLetterQueueAlarm');

  it('creates nothing but a no-op on the monitoring bus, and is never empty', () => {
    const unconditional = Object.entries(forwarder.Resources).filter(
      ([, resource]) => resource.Condition !== 'Forwards',
    );

    expect(forwarder.Conditions?.Forwards).toEqual({
      'Fn::Not': [{ Condition: 'IsMonitoringBus' }],
    });
    // CloudFormation refuses to create a stack in which every resource is conditioned away.
    expect(unconditional).toEqual([
      [
        'NothingToForwardHere',
        { Type: 'AWS::CloudFormation::WaitConditionHandle', Condition: 'IsMonitoringBus' },
      ],
    ]);
    expect(forwarder.Outputs?.DeadLetterQueueUrl).toMatchObject({ Condition: 'Forwards' });
  });

  it('parks undeliverable events in an encrypted queue that outlives the stack', () => {
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(queue.DeletionPolicy).toBe('Retain');
    expect(queue.UpdateReplacePolicy).toBe('Retain');
  });

  it('lets only the forwarding rule park events in that queue', () => {
    const statements = statementsOf(
      resourceOf(forwarder, 'ForwardingDeadLetterQueuePolicy'),
      'PolicyDocument',
    );

    expect(statements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: getAtt('ForwardingDeadLetterQueue', 'Arn'),
        Condition: { ArnEquals: { 'aws:SourceArn': getAtt('RootUsageForwardingRule', 'Arn') } },
      }),
    ]);
  });

  it('raises an alarm as soon as one event is parked', () => {
    expect(alarm.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt('ForwardingDeadLetterQueue', 'QueueName') }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it("notifies the organization's own topic when one is given, and nothing otherwise", () => {
    expect(forwarder.Parameters?.AlarmTopicArn?.Default).toBe('');
    expect(forwarder.Conditions?.HasAlarmTopic).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [ref('AlarmTopicArn'), ''] }],
    });
    expect(alarm.Properties?.AlarmActions).toEqual({
      'Fn::If': ['HasAlarmTopic', [ref('AlarmTopicArn')], ref('AWS::NoValue')],
    });
  });

  it.each([
    ['', true],
    ['arn:aws:sns:eu-west-1:444455556666:org-security-alarms', true],
    ['arn:aws-us-gov:sns:us-gov-west-1:444455556666:alarms', true],
    ['org-security-alarms', false],
    ['arn:aws:sqs:eu-west-1:444455556666:alarms', false],
    ['arn:aws:sns:eu-west-1:4444:alarms', false],
  ])('takes %j as AlarmTopicArn: %s', (value, accepted) => {
    const pattern = forwarder.Parameters?.AlarmTopicArn?.AllowedPattern;

    expect(typeof pattern).toBe('string');
    expect(new RegExp(pattern as string).test(value)).toBe(accepted);
  });
});
