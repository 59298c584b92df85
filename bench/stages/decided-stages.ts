import { CATALOG } from '../../rules/index.js';
import type { Config } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { decide } from '../../src/engine/decide.js';
import type { Alert } from '../../src/engine/decision.js';
import { eventsFrom } from '../../src/intake/events-from.js';
import type { Stages } from './staged-handler.js';

/**
 * The configuration validated and the event decided: the stages of the decided build, and of
 * the builds after it.
 */
export const decidedStages = {
  validate: (text) => parseConfig([{ source: 'bench', text }], CATALOG).config,
  decide: (event, config) => {
    const [read] = eventsFrom(event, 'event');
    if (read === undefined || config === undefined) return undefined;
    const decision = decide(read, CATALOG, config, { monitor: {} });
    return decision.kind === 'alert' ? decision : undefined;
  },
} satisfies Stages<Config, Alert>;
