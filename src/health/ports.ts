import type { DeployedStack } from './deployed-stack.js';

/**
 * What the checks read from AWS, as plain data. The adapters in src/aws/health/ answer these
 * with the SDK; the checks only judge.
 */

/** The IAM actions {@link StackReads.deployed} calls, for the checks that read the stack. */
export const STACK_READ_ACTIONS = [
  'cloudformation:GetTemplate',
  'cloudformation:DescribeStacks',
  'cloudformation:ListStackResources',
] as const;

export interface StackReads {
  /** The monitor's stack as deployed; one read serves every check of the run started at `now`. */
  deployed(now: Date): Promise<DeployedStack>;
}

/** Which management events a trail records, as its event selectors say. */
export interface ManagementCoverage {
  reads: boolean;
  writes: boolean;
  /** Selector conditions that leave some management events out, in words. */
  filters: readonly string[];
}

export interface TrailView {
  arn: string;
  name: string;
  multiRegion: boolean;
  organization: boolean;
  logging: boolean;
  latestDelivery: Date | undefined;
  latestDeliveryError: string | undefined;
  /** A string when the selectors could not be read (an organization trail seen from a member). */
  management: ManagementCoverage | string;
}

export interface TrailReads {
  /** Every trail that logs this Region, shadow and organization trails included. */
  trails(): Promise<TrailView[]>;
}

/** One target of a rule, as EventBridge holds it. */
export interface TargetView {
  id: string;
  arn: string;
  /** What EventBridge sends in place of the event, or how it reshapes it: none for the stack's. */
  input: string | undefined;
  inputPath: string | undefined;
  inputTransformer: unknown;
  roleArn: string | undefined;
}

export interface RuleView {
  name: string;
  state: string;
  targetArns: readonly string[];
  /** The pattern, parsed; undefined for a schedule. */
  eventPattern: unknown;
  scheduleExpression: string | undefined;
  targets: readonly TargetView[];
}

export interface RuleReads {
  /** The rule on the default bus of `region`, or undefined when there is none of that name. */
  rule(name: string, region: string): Promise<RuleView | undefined>;
  /** The rules on the default bus of `region` that have `targetArn` as a target. */
  rulesTargeting(targetArn: string, region: string): Promise<RuleView[]>;
}

export interface RegionReads {
  /** The Regions enabled for the account: opted in, or needing no opt-in. */
  enabledRegions(): Promise<string[]>;
}

/** A confirmed subscription, with the filter that decides which messages reach it. */
export interface SubscriptionView {
  arn: string;
  protocol: string;
  endpoint: string;
  /** The filter policy as SNS holds it, parsed; undefined when it has none (it gets everything). */
  filterPolicy: unknown;
  /** What the filter policy reads: `MessageAttributes` (SNS's default) or `MessageBody`. */
  filterPolicyScope: string;
}

export interface TopicSubscriptions {
  confirmed: readonly SubscriptionView[];
  /** Subscriptions still waiting for their confirmation link to be followed, by endpoint. */
  pending: readonly { protocol: string; endpoint: string }[];
}

export interface SubscriptionReads {
  subscriptions(topicArn: string): Promise<TopicSubscriptions>;
}

export interface QueueDepth {
  url: string;
  /** Messages a reader can take now. */
  visible: number;
  /** Messages a reader has taken but not yet deleted, or delayed: still in the queue. */
  inFlight: number;
}

export interface QueueReads {
  /** How many messages the queue holds; undefined when no queue has that ARN. */
  depth(queueArn: string): Promise<QueueDepth | undefined>;
}

/** Counted root events waiting for the digest of a window that has closed. */
export interface UnreportedEvents {
  events: number;
  /** Event time, epoch ms: when the oldest of their windows closed; undefined without events. */
  oldestClosedAt: number | undefined;
}

export interface DigestReads {
  /**
   * The events counted by `closedBy` (epoch ms) in windows closed by then that no digest
   * reported: those the schedule has had the time to send.
   */
  unreported(closedBy: number): Promise<UnreportedEvents>;
}

/** A KMS key as the `keys` check sees it. */
export interface KeyView {
  arn: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, `Unavailable`... */
  state: string;
  /** `AWS` for an AWS managed key, which nobody in the account can disable or re-policy. */
  manager: string;
  deletionDate: Date | undefined;
  /** The key's default policy, parsed; or why it could not be read. */
  policy: { document: unknown } | { unreadable: string };
}

export interface KeyReads {
  /** The key named by id, ARN or alias; undefined when KMS has none by that name. */
  key(keyId: string): Promise<KeyView | undefined>;
  /** The key a topic encrypts with (its KmsMasterKeyId as set); undefined when unencrypted. */
  topicKey(topicArn: string): Promise<string | undefined>;
}

/** One property of a drifted resource: where, what the template says, what is there. */
export interface PropertyDrift {
  path: string;
  expected: string;
  actual: string;
  /** `NOT_EQUAL`, `ADD` or `REMOVE`. */
  kind: string;
}

/** A resource of the stack that is no longer as its template says: modified or deleted. */
export interface ResourceDrift {
  logicalId: string;
  type: string;
  /** `MODIFIED` or `DELETED`. */
  status: string;
  differences: readonly PropertyDrift[];
}

/** One run of CloudFormation's drift detection. */
export interface DriftDetection {
  /** `DETECTION_IN_PROGRESS`, `DETECTION_COMPLETE` or `DETECTION_FAILED`. */
  status: string;
  reason: string | undefined;
}

export interface DriftReads {
  /** Starts a drift detection of the whole stack; its id. */
  start(): Promise<string>;
  detection(id: string): Promise<DriftDetection>;
  /** What the last detection found of the stack: `DRIFTED`, `IN_SYNC`, `UNKNOWN` or `NOT_CHECKED`, and when. */
  last(): Promise<{ status: string; at: Date | undefined }>;
  /** The resources the last detection found modified or deleted. */
  drifted(): Promise<ResourceDrift[]>;
}

/** An IAM role: who may assume it, and what its policies allow. */
export interface RoleView {
  arn: string;
  trust: unknown;
  /** Its inline policies and the default versions of its managed ones, parsed. */
  policies: readonly unknown[];
}

export interface RoleReads {
  /** The role with this ARN; undefined when IAM has none of that name. */
  role(roleArn: string): Promise<RoleView | undefined>;
}

/** One account and Region of a stack set, as ListStackInstances reports it. */
export interface StackInstanceView {
  account: string;
  region: string;
  /** `CURRENT`, `OUTDATED` or `INOPERABLE`. */
  status: string;
  /** `SUCCEEDED`, `FAILED`, `CANCELLED`, `INOPERABLE`, `PENDING`, `RUNNING`, `SKIPPED_SUSPENDED_ACCOUNT`... */
  detailedStatus: string | undefined;
  statusReason: string | undefined;
  /** `DRIFTED`, `IN_SYNC`, `UNKNOWN` or `NOT_CHECKED`, as of the stack set's last drift detection. */
  driftStatus: string | undefined;
}

export interface OrganizationReads {
  /** The organization's management account and its active member accounts. */
  organization(): Promise<{ managementAccount: string; activeAccounts: readonly string[] }>;
  /** Every instance of a stack set; as its administrator or a delegated one. */
  stackInstances(
    stackSetName: string,
    callAs: 'SELF' | 'DELEGATED_ADMIN',
  ): Promise<StackInstanceView[]>;
}

/** What an alias of a function invokes. */
export interface AliasView {
  functionVersion: string;
  /** Other versions the alias sends a share of invocations to, by version. */
  routing: Readonly<Record<string, number>>;
}

export interface FunctionReads {
  /** An alias of a function; undefined when the function has none of that name. */
  alias(functionName: string, aliasName: string): Promise<AliasView | undefined>;
  /** The SHA-256 of a function's code: of `$LATEST`, or of a version. */
  codeSha256(functionName: string, version?: string): Promise<string | undefined>;
  /** Its reserved concurrency; undefined when none is reserved. */
  reservedConcurrency(functionName: string): Promise<number | undefined>;
  /** The resource policy of a function or one of its aliases, parsed; undefined when it has none. */
  policy(functionName: string, qualifier?: string): Promise<unknown>;
}
