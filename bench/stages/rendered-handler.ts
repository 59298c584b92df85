import { CATALOG } from '../../rules/index.js';
import { rootUsageMessageFor } from '../../src/alert/root-usage-message.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { decide } from '../../src/engine/decide.js';
import { eventsFrom } from '../../src/intake/events-from.js';
import { stagedHandler } from './staged-handler.js';

/** The decided build, and the alert rendered: subject, email and chat, every field escaped. */
export const handler = stagedHandler({
  validate: (text) => parseConfig([{ source: 'bench', text }], CATALOG).config,
  decide: (event, config) => {
    const [read] = eventsFrom(event, 'event');
    if (read === undefined || config === undefined) return undefined;
    const decision = decide(read, CATALOG, config, { monitor: {} });
    return decision.kind === 'alert' ? decision : undefined;
  },
  render: (alert, topicArn) => rootUsageMessageFor({ alert, suppressedBefore: 0 }, topicArn),
});
