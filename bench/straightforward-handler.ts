import { stagedHandler } from './stages/staged-handler.js';

/**
 * The calibration point between the seed and root-monitor: the same four calls, middy and
 * Powertools, with none of root-monitor's own work (no validation, rules, rendering or
 * escaping). What root-monitor costs beyond it is its own code.
 */
export const handler = stagedHandler({});
