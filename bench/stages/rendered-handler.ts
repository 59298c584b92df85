import { rootUsageMessageFor } from '../../src/alert/root-usage-message.js';
import { decidedStages } from './decided-stages.js';
import { stagedHandler } from './staged-handler.js';

/** The decided build, and the alert rendered: subject, email and chat, every field escaped. */
export const handler = stagedHandler({
  ...decidedStages,
  render: (alert, topicArn) => rootUsageMessageFor({ alert, suppressedBefore: 0 }, topicArn),
});
