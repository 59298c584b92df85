import { type Check, fail, pass } from './check.js';
import type { DeployedStack } from './deployed-stack.js';
import { type PolicyRequest, policyAllows } from './policy-allows.js';
import { type KeyReads, type KeyView, STACK_READ_ACTIONS, type StackReads } from './ports.js';

/** An AWS managed key's alias: the key is made on first use, and no principal can change it. */
const isAwsManaged = (keyId: string): boolean => keyId.startsWith('alias/aws/');

/** What each use of a key asks KMS for: a data key to encrypt, and decryption. */
const USE = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

const KEY_AUDIT =
  'then look in CloudTrail for who called DisableKey, ScheduleKeyDeletion or PutKeyPolicy';

/** Whatever stops the key from working at all, with its fix; undefined when it is enabled. */
const stateProblem = (key: KeyView, what: string): { problem: string; fix: string } | undefined => {
  if (key.state === 'Enabled') return undefined;
  if (key.state === 'PendingDeletion') {
    return {
      problem: `${what} ${key.arn} is pending deletion${key.deletionDate === undefined ? '' : ` on ${key.deletionDate.toISOString()}`}: nothing encrypted with it can be published`,
      fix: `aws kms cancel-key-deletion --key-id ${key.arn} && aws kms enable-key --key-id ${key.arn}; ${KEY_AUDIT}`,
    };
  }
  return {
    problem: `${what} ${key.arn} is ${key.state}: nothing encrypted with it can be published`,
    fix: `aws kms enable-key --key-id ${key.arn}; ${KEY_AUDIT}`,
  };
};

/** The requests of `uses` that the key's policy refuses, in words. */
const refused = (
  key: KeyView,
  uses: readonly {
    who: string;
    request: Omit<PolicyRequest, 'action'>;
    actions?: readonly string[];
  }[],
): string[] => {
  if ('unreadable' in key.policy) return [];
  const { document } = key.policy;
  return uses.flatMap(({ who, request, actions = USE }) => {
    const denied = actions.flatMap((action) => {
      const verdict = policyAllows(document, { ...request, action });
      if (verdict.allowed) return [];
      return [
        `${action}${verdict.deniedBy === undefined ? '' : ` (denied by ${verdict.deniedBy})`}`,
      ];
    });
    return denied.length === 0 ? [] : [`${who} ${denied.join(', ')}`];
  });
};

/** The stack's alarms that notify `topicArn`, by ARN. */
const alarmsNotifying = (stack: DeployedStack, topicArn: string): string[] =>
  stack.logicalIdsOf('AWS::CloudWatch::Alarm').flatMap((logicalId) => {
    const actions = stack.property(logicalId, 'AlarmActions');
    if (!Array.isArray(actions) || !actions.includes(topicArn)) return [];
    const name = stack.property(logicalId, 'AlarmName') ?? stack.physicalId(logicalId);
    return name === undefined || name === null
      ? []
      : [
          `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:${String(name)}`,
        ];
  });

/** The identities a statement may name for a role of the stack: the role, or its account. */
const identitiesOf = (stack: DeployedStack, roleArn: string | undefined): string[] => [
  ...(roleArn === undefined ? [] : [roleArn]),
  `arn:${stack.partition}:iam::${stack.account}:root`,
  stack.account,
];

/** The ARNs of the stack's roles; none when it holds none (each is then its account). */
const roleArnsOf = (stack: DeployedStack): string[] =>
  stack
    .logicalIdsOf('AWS::IAM::Role')
    .flatMap((logicalId) =>
      stack.physicalId(logicalId) === undefined
        ? []
        : [String(stack.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }))],
    );

/**
 * `keys`: a topic's key must work when an alert or alarm is published: SNS asks KMS for a data
 * key under the caller's name (a role, or CloudWatch for an alarm), and a disabled key, one
 * pending deletion or a policy that no longer admits the caller makes every publish fail. The
 * alert topic's AWS managed key cannot be touched; the alarm topic's customer managed key, which
 * CloudWatch needs, can. Each topic must also still encrypt with the key the stack gave it. With
 * a trail key (TrailKmsKeyArn), CloudTrail must be able to encrypt the log files and the backstop
 * to decrypt them.
 */
export const keysCheck = (keys: KeyReads, stack: StackReads): Check => ({
  id: 'keys',
  actions: ['sns:GetTopicAttributes', 'kms:DescribeKey', 'kms:GetKeyPolicy', ...STACK_READ_ACTIONS],
  async run(now) {
    const deployed = await stack.deployed(now);
    const problems: string[] = [];
    const fixes: string[] = [];
    const seen: string[] = [];
    const viaSns = `sns.${deployed.region}.${deployed.urlSuffix}`;
    const roles = roleArnsOf(deployed);
    for (const logicalId of deployed.logicalIdsOf('AWS::SNS::Topic')) {
      const topicArn = deployed.physicalId(logicalId);
      if (topicArn === undefined) continue;
      const expected = deployed.property(logicalId, 'KmsMasterKeyId');
      const actual = await keys.topicKey(topicArn);
      if (typeof expected !== 'string') continue;
      if (actual !== expected) {
        // The same key may be named by id, ARN or alias; an AWS managed key only by its alias.
        const arnOf = async (name: string | undefined) =>
          name === undefined || isAwsManaged(name) ? name : (await keys.key(name))?.arn;
        const [actualArn, expectedArn] = await Promise.all([arnOf(actual), arnOf(expected)]);
        if (actualArn === undefined || actualArn !== expectedArn) {
          problems.push(
            `topic ${topicArn} encrypts with ${actual ?? 'no key'}, not the stack's ${expected}`,
          );
          fixes.push(
            `aws sns set-topic-attributes --topic-arn ${topicArn} --attribute-name KmsMasterKeyId --attribute-value ${expected}; then look in CloudTrail for who called SetTopicAttributes`,
          );
          continue;
        }
      }
      // An AWS managed key (alias/aws/sns): no principal of the account can disable or re-policy it.
      if (isAwsManaged(expected)) {
        seen.push(
          `topic ${topicArn} encrypts with ${expected}, which nobody in the account can disable`,
        );
        continue;
      }
      const key = await keys.key(expected);
      if (key === undefined) {
        problems.push(`topic ${topicArn} encrypts with ${expected}, which KMS does not have`);
        fixes.push(`redeploy the stack (sam deploy) to make a key; ${KEY_AUDIT}`);
        continue;
      }
      const broken = stateProblem(key, `the key of topic ${topicArn}`);
      if (broken !== undefined) {
        problems.push(broken.problem);
        fixes.push(broken.fix);
        continue;
      }
      const alarms = alarmsNotifying(deployed, topicArn);
      const denials = refused(key, [
        ...alarms.map((alarmArn) => ({
          who: `CloudWatch for alarm ${alarmArn.split(':').at(-1)}`,
          request: {
            principal: { service: 'cloudwatch.amazonaws.com' },
            context: { 'aws:SourceAccount': deployed.account, 'aws:SourceArn': alarmArn },
            missingKeys: 'absent' as const,
          },
        })),
        ...(roles.length === 0 ? [undefined] : roles).map((roleArn) => ({
          who: `${roleArn ?? `the account's roles`} through SNS`,
          request: {
            principal: { aws: identitiesOf(deployed, roleArn) },
            context: {
              'kms:ViaService': viaSns,
              'kms:CallerAccount': deployed.account,
              ...(roleArn === undefined ? {} : { 'aws:PrincipalArn': roleArn }),
            },
            missingKeys: 'absent' as const,
          },
        })),
      ]);
      if ('unreadable' in key.policy) {
        problems.push(
          `the policy of ${key.arn}, the key of topic ${topicArn}, cannot be read: ${key.policy.unreadable}`,
        );
        fixes.push('let the caller use kms:GetKeyPolicy on the key');
      } else if (denials.length > 0) {
        problems.push(
          `the policy of ${key.arn}, the key of topic ${topicArn}, no longer lets ${denials.join('; ')}: publishes to the topic fail`,
        );
        fixes.push(
          `put back the key policy the stack declares (${logicalId}'s key in the stack's template): aws kms put-key-policy --key-id ${key.arn} --policy-name default --policy file://policy-allows.json; ${KEY_AUDIT}`,
        );
      } else {
        seen.push(
          `topic ${topicArn} encrypts with ${key.arn}, Enabled, whose policy lets ${alarms.length === 1 ? 'one alarm' : `${alarms.length} alarms`} and the stack's roles (through SNS) use it`,
        );
      }
    }
    const trailKey = trailKeyOf(deployed);
    if (trailKey !== undefined) {
      const key = await keys.key(trailKey);
      const broken =
        key === undefined
          ? {
              problem: `the trail's key ${trailKey} does not exist (TrailKmsKeyArn)`,
              fix: `give the key the trail encrypts with in TrailKmsKeyArn`,
            }
          : stateProblem(key, "the trail's key");
      if (broken !== undefined) {
        problems.push(
          broken.problem.replace(
            'nothing encrypted with it can be published',
            'CloudTrail cannot write log files and the backstop cannot read them',
          ),
        );
        fixes.push(broken.fix);
      } else if (key !== undefined) {
        const backstopRole =
          deployed.physicalId('TrailFileRole') === undefined
            ? undefined
            : String(deployed.resolve({ 'Fn::GetAtt': ['TrailFileRole', 'Arn'] }));
        const keyRegion = key.arn.split(':')[3] ?? deployed.region;
        const denials = refused(key, [
          {
            who: 'CloudTrail',
            actions: ['kms:GenerateDataKey'],
            request: {
              principal: { service: 'cloudtrail.amazonaws.com' },
              context: { 'aws:SourceAccount': deployed.account },
              missingKeys: 'unknown',
            },
          },
          {
            who: `${backstopRole ?? "the account's roles"} through S3`,
            actions: ['kms:Decrypt'],
            request: {
              principal: { aws: identitiesOf(deployed, backstopRole) },
              context: {
                'kms:ViaService': `s3.${keyRegion}.${deployed.urlSuffix}`,
                'kms:CallerAccount': deployed.account,
              },
              missingKeys: 'unknown',
            },
          },
        ]);
        if (denials.length > 0) {
          problems.push(
            `the policy of the trail's key ${key.arn} no longer lets ${denials.join('; ')}: log files are not written or not read`,
          );
          fixes.push(
            `let CloudTrail use kms:GenerateDataKey* and the backstop's role kms:Decrypt through S3 in the key's policy; ${KEY_AUDIT}`,
          );
        } else {
          seen.push(
            `the trail's key ${key.arn} is Enabled${'unreadable' in key.policy ? ` (its policy not read: ${key.policy.unreadable})` : ', and its policy lets CloudTrail encrypt and the backstop decrypt'}`,
          );
        }
      }
    }
    if (problems.length > 0) return fail(problems.join('; '), [...new Set(fixes)].join('; '));
    return pass(seen.join('; ') || 'the stack has no encrypted topic');
  },
});

/** The trail key the stack was given, when the stack uses it. */
const trailKeyOf = (stack: DeployedStack): string | undefined => {
  const arn = stack.facts.parameters.TrailKmsKeyArn;
  if (arn === undefined || arn === '') return undefined;
  const conditions = stack.template.Conditions ?? {};
  return 'HasTrailKey' in conditions && !stack.condition('HasTrailKey') ? undefined : arn;
};
