import { type Check, fail, pass } from './check.js';
import type { DeployedStack } from './deployed-stack.js';
import { policyAllows } from './policy-allows.js';
import { type FunctionReads, STACK_READ_ACTIONS, type StackReads } from './ports.js';

const AUDIT =
  'then look in CloudTrail for who called UpdateAlias, UpdateFunctionCode, PutFunctionConcurrency or RemovePermission';

/** An alias the stack declares: the function, its name, and the version the stack published. */
interface DeclaredAlias {
  logicalId: string;
  functionName: string;
  name: string;
  version: string;
}

const declaredAliases = (stack: DeployedStack): DeclaredAlias[] =>
  stack.resourcesOf('AWS::Lambda::Alias').map(({ logicalId, properties }) => ({
    logicalId,
    functionName: String(properties.FunctionName),
    name: String(properties.Name),
    version: String(properties.FunctionVersion),
  }));

/** An invoke permission the stack declares, on a function or one of its aliases. */
interface DeclaredPermission {
  logicalId: string;
  /** The function's name and, for an alias, the alias's name. */
  functionName: string;
  qualifier: string | undefined;
  resourceArn: string;
  principal: string;
  sourceArn: string | undefined;
}

const declaredPermissions = (stack: DeployedStack): DeclaredPermission[] =>
  stack.resourcesOf('AWS::Lambda::Permission').map(({ logicalId, properties }) => {
    const target = String(properties.FunctionName);
    // A name, or arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER].
    const [, , , , , , name, qualifier] = target.startsWith('arn:') ? target.split(':') : [];
    const functionName = name ?? target;
    return {
      logicalId,
      functionName,
      qualifier,
      resourceArn: target.startsWith('arn:')
        ? target
        : `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${target}`,
      principal: String(properties.Principal),
      sourceArn: properties.SourceArn === undefined ? undefined : String(properties.SourceArn),
    };
  });

/**
 * `functions`: what the stack's rules and schedules invoke is an alias, on the version the stack
 * published; out-of-band changes to `$LATEST` run nowhere, until the next deploy publishes what
 * `$LATEST` holds. So each alias must point at the stack's version, with no share routed to
 * another; `$LATEST`'s code must be that version's (else the next deploy puts someone else's code
 * live); no function's reserved concurrency may be 0 (it would never run); and every invoke
 * permission the stack declares must be in the function's or alias's policy.
 */
export const functionsCheck = (functions: FunctionReads, stack: StackReads): Check => ({
  id: 'functions',
  actions: [
    'lambda:GetAlias',
    'lambda:GetFunctionConfiguration',
    'lambda:GetFunctionConcurrency',
    'lambda:GetPolicy',
    ...STACK_READ_ACTIONS,
  ],
  async run(now) {
    const deployed = await stack.deployed(now);
    const aliases = declaredAliases(deployed);
    const problems: string[] = [];
    const fixes: string[] = [];
    for (const alias of aliases) {
      const { functionName, name, version } = alias;
      const running = await functions.alias(functionName, name);
      if (running === undefined) {
        problems.push(`${functionName} has no alias ${name}: its rules invoke nothing`);
        fixes.push(
          `aws lambda create-alias --function-name ${functionName} --name ${name} --function-version ${version}`,
        );
        continue;
      }
      if (running.functionVersion !== version) {
        problems.push(
          `${functionName}:${name} invokes version ${running.functionVersion}, not the stack's ${version}`,
        );
      }
      const routed = Object.entries(running.routing).filter(([, weight]) => weight > 0);
      if (routed.length > 0) {
        problems.push(
          `${functionName}:${name} sends ${routed.map(([other, weight]) => `${Math.round(weight * 100)}% to version ${other}`).join(', ')}`,
        );
      }
      if (running.functionVersion !== version || routed.length > 0) {
        fixes.push(
          `aws lambda update-alias --function-name ${functionName} --name ${name} --function-version ${version} --routing-config AdditionalVersionWeights={}`,
        );
      }
      const [latest, published] = await Promise.all([
        functions.codeSha256(functionName),
        functions.codeSha256(functionName, version),
      ]);
      if (latest !== published) {
        problems.push(
          `${functionName}'s $LATEST holds other code (${latest}) than version ${version} (${published}): the next deploy would publish it`,
        );
        fixes.push(
          `put the stack's code back in $LATEST (sam deploy after sam build of the released sources, or aws lambda update-function-code with version ${version}'s package from aws lambda get-function --qualifier ${version})`,
        );
      }
      if ((await functions.reservedConcurrency(functionName)) === 0) {
        problems.push(`${functionName}'s reserved concurrency is 0: it never runs`);
        fixes.push(`aws lambda delete-function-concurrency --function-name ${functionName}`);
      }
    }
    for (const permission of declaredPermissions(deployed)) {
      const policy = await functions.policy(permission.functionName, permission.qualifier);
      const allowed = policyAllows(policy, {
        principal: { service: permission.principal },
        action: 'lambda:InvokeFunction',
        resource: permission.resourceArn,
        context:
          permission.sourceArn === undefined ? {} : { 'aws:SourceArn': permission.sourceArn },
        missingKeys: 'absent',
      });
      if (!allowed.allowed) {
        problems.push(
          `${permission.resourceArn} no longer lets ${permission.principal} invoke it${permission.sourceArn === undefined ? '' : ` for ${permission.sourceArn}`} (${permission.logicalId})`,
        );
        fixes.push(
          `aws lambda add-permission --function-name ${permission.resourceArn} --statement-id ${permission.logicalId} --action lambda:InvokeFunction --principal ${permission.principal}${permission.sourceArn === undefined ? '' : ` --source-arn ${permission.sourceArn}`}`,
        );
      }
    }
    if (problems.length > 0) return fail(problems.join('; '), `${fixes.join('; ')}; ${AUDIT}`);
    if (aliases.length === 0) {
      return pass(
        "the stack's functions are invoked directly, through no alias: nothing to compare",
      );
    }
    return pass(
      `${aliases.length === 1 ? 'the alias invokes' : `each of ${aliases.length} aliases invokes`} the version the stack published, with $LATEST's code the same, no concurrency of 0, and every invoke permission in place`,
    );
  },
});
