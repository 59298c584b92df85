import { type Check, fail, pass } from './check.js';
import type { DeployedStack, TemplateValue } from './deployed-stack.js';
import {
  type RuleReads,
  type RuleView,
  STACK_READ_ACTIONS,
  type StackReads,
  type TargetView,
} from './ports.js';
import { sameJson } from './same-json.js';

/** The only state in which read-only root calls (Get*, List*, Describe*) reach the function. */
export const ALL_MANAGEMENT_EVENTS = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

const AUDIT =
  'then look in CloudTrail for who called PutRule, PutTargets, DisableRule, RemoveTargets or DeleteRule';

/** A target as the stack declares it: the fields of PutTargets, resolved. */
type DeclaredTarget = Record<string, TemplateValue>;

/** A rule as the stack declares it. */
export interface DeclaredRule {
  logicalId: string;
  name: string | undefined;
  state: string;
  eventPattern: TemplateValue | undefined;
  scheduleExpression: string | undefined;
  targets: readonly DeclaredTarget[];
}

const text = (value: TemplateValue | undefined): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/** Every EventBridge rule of the stack, as its template declares it. */
export const declaredRules = (stack: DeployedStack): DeclaredRule[] =>
  stack.resourcesOf('AWS::Events::Rule').map(({ logicalId, properties }) => {
    const targets = Array.isArray(properties.Targets) ? properties.Targets : [];
    // A rule on a bus other than the default has BUS|NAME as its physical id.
    const physicalId = stack.physicalId(logicalId);
    return {
      logicalId,
      name: physicalId?.split('|').at(-1),
      // CloudFormation's default, when the template gives no State.
      state: text(properties.State) ?? 'ENABLED',
      eventPattern: properties.EventPattern,
      scheduleExpression: text(properties.ScheduleExpression),
      targets: targets.filter(
        (target): target is DeclaredTarget =>
          typeof target === 'object' && target !== null && !Array.isArray(target),
      ),
    };
  });

/** What a deployed target is given instead of the event, in words; undefined when the event. */
const reshaping = (target: TargetView): string | undefined => {
  if (target.input !== undefined) return `the constant Input ${target.input}`;
  if (target.inputPath !== undefined) return `only the part ${target.inputPath} (InputPath)`;
  if (target.inputTransformer !== undefined) {
    return `a reshaped event (InputTransformer ${JSON.stringify(target.inputTransformer)})`;
  }
  return undefined;
};

/** How a deployed target differs from the declared one with its id; empty when it does not. */
const targetProblems = (declared: DeclaredTarget, deployed: TargetView): string[] => {
  const problems: string[] = [];
  const id = String(declared.Id);
  if (deployed.arn !== text(declared.Arn)) {
    problems.push(`target ${id} invokes ${deployed.arn}, not the stack's ${text(declared.Arn)}`);
  }
  const declaredInput = {
    input: text(declared.Input),
    inputPath: text(declared.InputPath),
    inputTransformer: declared.InputTransformer,
  };
  if (
    deployed.input !== declaredInput.input ||
    deployed.inputPath !== declaredInput.inputPath ||
    !sameJson(deployed.inputTransformer ?? null, declaredInput.inputTransformer ?? null)
  ) {
    const given = reshaping(deployed);
    problems.push(
      given === undefined
        ? `target ${id} is given the whole event, not the stack's Input ${declaredInput.input ?? JSON.stringify(declaredInput.inputTransformer ?? declaredInput.inputPath)}`
        : `target ${id} is given ${given}, not ${declaredInput.input === undefined ? 'the event' : `the stack's Input ${declaredInput.input}`}: what it judges is no longer what happened`,
    );
  }
  return problems;
};

/** The command that puts the rule's definition back: pattern or schedule, and state. */
const putRule = (declared: DeclaredRule, name: string): string =>
  `aws events put-rule --name ${name} ${
    declared.eventPattern !== undefined
      ? `--event-pattern '${JSON.stringify(declared.eventPattern)}'`
      : `--schedule-expression '${declared.scheduleExpression ?? ''}'`
  } --state ${declared.state}`;

/** The command that puts the declared targets back, replacing any of the same id. */
const putTargets = (declared: DeclaredRule, name: string): string =>
  `aws events put-targets --rule ${name} --targets '${JSON.stringify(declared.targets)}'`;

/** How a deployed rule differs from the declared one: each problem, and the commands that mend it. */
const ruleProblems = (
  declared: DeclaredRule,
  name: string,
  deployed: RuleView,
): { problems: string[]; fixes: string[] } => {
  const problems: string[] = [];
  const fixes: string[] = [];
  if (deployed.state !== declared.state) {
    problems.push(
      declared.state === ALL_MANAGEMENT_EVENTS && deployed.state.startsWith('ENABLED')
        ? `is ${deployed.state}, so read-only root calls never reach its target`
        : `is ${deployed.state}, not ${declared.state}${deployed.state.startsWith('ENABLED') ? '' : ': no event reaches its target'}`,
    );
  }
  if (
    declared.eventPattern !== undefined &&
    !sameJson(deployed.eventPattern, declared.eventPattern)
  ) {
    problems.push(
      `matches ${JSON.stringify(deployed.eventPattern)}, not the stack's pattern: events the stack's pattern takes may never reach its target`,
    );
  }
  if (
    declared.scheduleExpression !== undefined &&
    deployed.scheduleExpression !== declared.scheduleExpression
  ) {
    problems.push(
      `runs on ${deployed.scheduleExpression ?? 'no schedule'}, not the stack's ${declared.scheduleExpression}`,
    );
  }
  if (problems.length > 0) fixes.push(putRule(declared, name));
  const targetProblemsFound: string[] = [];
  for (const target of declared.targets) {
    const id = String(target.Id);
    const found = deployed.targets.find((candidate) => candidate.id === id);
    if (found === undefined) {
      targetProblemsFound.push(`target ${id} (${text(target.Arn)}) is gone`);
    } else {
      targetProblemsFound.push(...targetProblems(target, found));
    }
  }
  if (targetProblemsFound.length > 0) {
    fixes.push(putTargets(declared, name));
  }
  const extra = deployed.targets.filter(
    (target) => !declared.targets.some((candidate) => String(candidate.Id) === target.id),
  );
  if (extra.length > 0) {
    targetProblemsFound.push(
      ...extra.map(
        (target) =>
          `also sends to ${target.arn} (target ${target.id}), which the stack does not declare`,
      ),
    );
    fixes.push(
      `aws events remove-targets --rule ${name} --ids ${extra.map(({ id }) => id).join(' ')}`,
    );
  }
  return { problems: [...problems, ...targetProblemsFound], fixes };
};

/**
 * `rule`: each EventBridge rule of the stack (the root-usage rule, the configuration-change rule,
 * the schedules) is as the stack's template declares it: its state, its pattern or schedule,
 * and its targets, each invoking what the stack declares (a function, or an alias of one) and
 * given the event itself, not a constant `Input`, an `InputPath` or an `InputTransformer`. A
 * rule whose pattern was narrowed, or whose target is given `{}`, still looks enabled and still
 * invokes the function: only comparing them shows it. The expected target comes from the
 * template, so a target that becomes an alias there is expected as an alias here.
 */
export const ruleCheck = (
  rules: RuleReads,
  stack: StackReads,
  { homeRegion }: { homeRegion: string },
): Check => ({
  id: 'rule',
  actions: ['events:DescribeRule', 'events:ListTargetsByRule', ...STACK_READ_ACTIONS],
  async run(now) {
    const deployedStack = await stack.deployed(now);
    const declared = declaredRules(deployedStack);
    if (declared.length === 0) {
      return fail(
        `the stack ${deployedStack.facts.stackName} declares no EventBridge rule: it is not the monitor's stack`,
        "set MONITOR_STACK_NAME to the monitor's stack (the health-check function's own setting is)",
      );
    }
    const problems: string[] = [];
    const fixes: string[] = [];
    const seen: string[] = [];
    for (const rule of declared) {
      const label = `rule ${rule.logicalId}`;
      if (rule.name === undefined) {
        problems.push(`the stack holds no ${label}`);
        fixes.push('redeploy the stack (sam deploy)');
        continue;
      }
      const deployed = await rules.rule(rule.name, homeRegion);
      if (deployed === undefined) {
        problems.push(
          `${label} (${rule.name}) does not exist in ${homeRegion}: nothing it matched reaches its target`,
        );
        fixes.push(
          `recreate it as the stack declares it: ${putRule(rule, rule.name)} && ${putTargets(rule, rule.name)}; ${AUDIT}`,
        );
        continue;
      }
      const found = ruleProblems(rule, rule.name, deployed);
      if (found.problems.length > 0) {
        problems.push(`${label} (${rule.name}) ${found.problems.join(', and ')}`);
        fixes.push(`${found.fixes.join(' && ')}; ${AUDIT}`);
      } else {
        seen.push(`${rule.logicalId} ${deployed.state}`);
      }
    }
    if (problems.length > 0) return fail(problems.join('; '), fixes.join('; '));
    return pass(
      `the stack's ${declared.length === 1 ? 'rule is' : `${declared.length} rules are`} as it declares them (state, pattern or schedule, targets given the event): ${seen.join(', ')}`,
    );
  },
});
