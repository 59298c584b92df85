/**
 * The rule that matches root usage no other enabled rule matches, so that no root call goes
 * unseen. It can be re-tuned or allowlisted, never disabled.
 */
export const FALLBACK_RULE_ID = 'root-activity';
