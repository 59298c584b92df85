import { CATALOG } from '../../rules/index.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { stagedHandler } from './staged-handler.js';

/** The straightforward build, and the configuration validated: valibot, ipaddr.js, the rules' settings. */
export const handler = stagedHandler({
  validate: (text) => parseConfig([{ source: 'bench', text }], CATALOG).config,
});
