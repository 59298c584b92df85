import { CATALOG } from '../../rules/index.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { decide } from '../../src/engine/decide.js';
import { eventsFrom } from '../../src/intake/events-from.js';
import { stagedHandler } from './staged-handler.js';

/** The validated build, and the event decided: intake, root usage, the rules, the allowlist. */
export const handler = stagedHandler({
  validate: (text) => parseConfig([{ source: 'bench', text }], CATALOG).config,
  decide: (event, config) => {
    const [read] = eventsFrom(event, 'event');
    if (read === undefined || config === undefined) return undefined;
    const decision = decide(read, CATALOG, config, { monitor: {} });
    return decision.kind === 'alert' ? decision : undefined;
  },
});
