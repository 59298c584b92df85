import { type Check, fail, pass } from './check.js';
import type { RuleReads } from './reads.js';

/** The only state in which read-only root calls (Get*, List*, Describe*) reach the function. */
export const ALL_MANAGEMENT_EVENTS = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

const REDEPLOY = 'redeploy the stack (sam deploy), which sets both';

/** `rule`: the root-usage rule in the home Region is on for every management event and invokes the function. */
export const ruleCheck = (
  rules: RuleReads,
  {
    ruleName,
    functionArn,
    homeRegion,
  }: { ruleName: string; functionArn: string; homeRegion: string },
): Check => ({
  id: 'rule',
  actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
  async run() {
    const rule = await rules.rule(ruleName, homeRegion);
    if (rule === undefined) {
      return fail(
        `the root-usage rule ${ruleName} does not exist in ${homeRegion}: no root event reaches the function`,
        `${REDEPLOY}; then look in CloudTrail for who called DeleteRule`,
      );
    }
    const problems: string[] = [];
    if (rule.state !== ALL_MANAGEMENT_EVENTS) {
      problems.push(
        rule.state.startsWith('ENABLED')
          ? `is ${rule.state}, so read-only root calls never reach the function`
          : `is ${rule.state}: no root event reaches the function`,
      );
    }
    if (!rule.targetArns.includes(functionArn)) {
      problems.push(
        `does not invoke ${functionArn} (targets: ${rule.targetArns.join(', ') || 'none'})`,
      );
    }
    if (problems.length > 0) {
      return fail(
        `the root-usage rule ${ruleName} ${problems.join(', and ')}`,
        `${REDEPLOY}; then look in CloudTrail for who called DisableRule, PutRule or RemoveTargets`,
      );
    }
    return pass(`the root-usage rule ${ruleName} is ${rule.state} and invokes the function`);
  },
});
