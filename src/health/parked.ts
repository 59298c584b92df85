import { type Check, fail, pass } from './check.js';
import type { QueueDepth, QueueReads } from './ports.js';

type Holding = QueueDepth & { queueArn: string };

const waiting = (holding: readonly Holding[]): string =>
  `root events that were never alerted wait in ${holding
    .map(
      ({ queueArn, visible, inFlight }) =>
        `${queueArn.split(':').at(-1)} (${visible} waiting${inFlight > 0 ? `, ${inFlight} being read or delayed` : ''})`,
    )
    .join(', ')}`;

const readFix = (holding: readonly Holding[]): string =>
  `read each as an alert (aws sqs receive-message --queue-url ${holding[0]?.url ?? 'URL'} --max-number-of-messages 10 --attribute-names All --message-attribute-names All), fix the cause named in the message, then redrive or delete it`;

/**
 * Named as missing, not as a permission to grant: the settings name a queue of another
 * deployment, or the queue was deleted outside CloudFormation, which a plain redeploy does not see.
 */
const missingFix =
  "check that MONITOR_QUEUE_ARNS lists the stack's current queues (root-monitor doctor --help shows how to take the settings from the stack) and that the TrailQueueArn parameter names a queue that exists; a queue of the stack deleted outside CloudFormation shows as DELETED in aws cloudformation detect-stack-drift, and comes back only when a stack update replaces it";

/**
 * `parked`: the on-failure queue and the rule's dead-letter queue hold root events that every
 * retry failed to alert on. Anything there is an alert that never reached a person. A queue that
 * does not exist fails too: an event that exhausts its retries would then be lost unseen.
 */
export const parkedCheck = (
  queues: QueueReads,
  { queueArns }: { queueArns: readonly string[] },
): Check => ({
  id: 'parked',
  actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
  async run() {
    const depths = await Promise.all(
      queueArns.map(async (queueArn) => ({ queueArn, depth: await queues.depth(queueArn) })),
    );
    const missing = depths.filter(({ depth }) => depth === undefined).map((q) => q.queueArn);
    const holding = depths.flatMap(({ queueArn, depth }) =>
      depth !== undefined && depth.visible + depth.inFlight > 0 ? [{ queueArn, ...depth }] : [],
    );
    if (missing.length > 0) {
      return fail(
        `queue ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist: a root event that fails every retry would be lost, not parked${holding.length > 0 ? `; ${waiting(holding)}` : ''}`,
        holding.length > 0 ? `${missingFix}; then ${readFix(holding)}` : missingFix,
      );
    }
    if (holding.length > 0) return fail(waiting(holding), readFix(holding));
    return pass(
      `no root event waits in ${depths.length === 1 ? 'the queue' : `the ${depths.length} queues`} of undelivered alerts`,
    );
  },
});
