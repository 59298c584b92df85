import { decidedStages } from './decided-stages.js';
import { stagedHandler } from './staged-handler.js';

/** The validated build, and the event decided: intake, root usage, the rules, the allowlist. */
export const handler = stagedHandler(decidedStages);
