import { type Check, pass } from './check.js';
import { STACK_READ_ACTIONS, type StackReads } from './ports.js';

/** The stack's function that reads the trail's log files, when it has one. */
const BACKSTOP_FUNCTION = 'TrailFileFunction';

/**
 * `backstop`: whether root usage reaches a person by two paths or one. EventBridge delivery is
 * best effort; the backstop reads every log file of the trail and alerts what real time missed.
 * Without it (TrailBucketName empty) nothing is broken, but an event EventBridge drops is never
 * alerted: this says so, and never fails.
 */
export const backstopCheck = (stack: StackReads): Check => ({
  id: 'backstop',
  actions: STACK_READ_ACTIONS,
  async run(now) {
    const deployed = await stack.deployed(now);
    if (!deployed.declares(BACKSTOP_FUNCTION)) {
      return pass(
        "off: one path only. Root usage reaches you through EventBridge alone, and an event it does not deliver is never alerted; deploy with TrailBucketName (the trail's bucket) to add the backstop, which reads every log file",
      );
    }
    const bucket = deployed.facts.parameters.TrailBucketName ?? '';
    return pass(
      `on: two paths. Besides EventBridge, ${deployed.physicalId(BACKSTOP_FUNCTION) ?? BACKSTOP_FUNCTION} reads every log file the trail writes to ${bucket}`,
    );
  },
});
