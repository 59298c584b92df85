import { type Check, fail, pass } from './check.js';
import type { QueueReads } from './reads.js';

/**
 * `parked`: the on-failure queue and the rule's dead-letter queue hold root events that every
 * retry failed to alert on. Anything there is an alert that never reached a person.
 */
export const parkedCheck = (
  queues: QueueReads,
  { queueArns }: { queueArns: readonly string[] },
): Check => ({
  id: 'parked',
  actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
  async run() {
    const depths = await Promise.all(
      queueArns.map(async (queueArn) => ({ queueArn, ...(await queues.depth(queueArn)) })),
    );
    const holding = depths.filter(({ visible, inFlight }) => visible + inFlight > 0);
    if (holding.length > 0) {
      const first = holding[0];
      return fail(
        `root events that were never alerted wait in ${holding
          .map(
            ({ queueArn, visible, inFlight }) =>
              `${queueArn.split(':').at(-1)} (${visible} waiting${inFlight > 0 ? `, ${inFlight} being read or delayed` : ''})`,
          )
          .join(', ')}`,
        `read each as an alert (aws sqs receive-message --queue-url ${first?.url ?? 'URL'} --max-number-of-messages 10 --attribute-names All --message-attribute-names All), fix the cause named in the message, then redrive or delete it`,
      );
    }
    return pass(
      `no root event waits in ${depths.length === 1 ? 'the queue' : `the ${depths.length} queues`} of undelivered alerts`,
    );
  },
});
