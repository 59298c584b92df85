import {
  isObject,
  type Resource,
  resourceOf,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';

/**
 * What CloudFormation makes of template.yaml for one stack: the names it gives the resources the
 * template leaves unnamed, and every intrinsic function resolved with them. Tests use it to see
 * the patterns and settings a deployed stack holds, with the names a real deploy could give.
 */

/** Where a stack is deployed, and the parameters it is given (the template's defaults otherwise). */
export interface StackPlace {
  stackName: string;
  account: string;
  region: string;
  partition?: string;
  parameters?: Record<string, string>;
  /**
   * The random part CloudFormation appends to a name it generates (STACK-LogicalId-SUFFIX, cut to
   * the service's limit); 13 characters by default, as CloudFormation's are.
   */
  suffix?: string;
  /** The key id CloudFormation's KMS key gets. */
  keyId?: string;
}

/** A resolved stack: what each reference and attribute of the template reads as. */
export interface DeployedStack extends Required<Omit<StackPlace, 'parameters'>> {
  parameters: Record<string, string>;
  conditions: Record<string, boolean>;
  /** The physical name (or ARN, URL: whatever Ref returns) of each resource that exists. */
  refs: Record<string, string>;
  /** `LogicalId.Attribute` for each attribute the template reads. */
  attributes: Record<string, string>;
  /** Resolves any value of the template as CloudFormation would in this stack. */
  resolve(value: TemplateValue | undefined): unknown;
}

/** What AWS::NoValue leaves: nothing, dropped from the list or object that held it. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The longest name each service accepts for a resource CloudFormation names. */
const NAME_LIMITS: Record<string, number> = {
  'AWS::IAM::Role': 64,
  'AWS::IAM::ManagedPolicy': 128,
  'AWS::SQS::Queue': 80,
  'AWS::SNS::Topic': 256,
  'AWS::Logs::LogGroup': 512,
  'AWS::Events::Rule': 64,
  'AWS::Events::Connection': 64,
  'AWS::Events::ApiDestination': 64,
};

/** The name CloudFormation generates: STACK-LogicalId-SUFFIX, cut to fit the limit. */
const generatedName = (stack: string, logicalId: string, suffix: string, limit: number): string => {
  const full = `${stack}-${logicalId}-${suffix}`;
  if (full.length <= limit) return full;
  // CloudFormation shortens the stack and logical id parts, keeping the random suffix.
  const room = limit - suffix.length - 2;
  const stackPart = stack.slice(0, Math.ceil(room / 2));
  const idPart = logicalId.slice(0, room - stackPart.length);
  return `${stackPart}-${idPart}-${suffix}`;
};

const evaluateCondition = (
  value: TemplateValue | undefined,
  parameters: Record<string, string>,
  conditions: Record<string, TemplateValue>,
  resolved: Record<string, boolean>,
): boolean => {
  const scalar = (inner: TemplateValue | undefined): string => {
    if (typeof inner === 'string') return inner;
    if (isObject(inner) && typeof inner.Ref === 'string') {
      const given = parameters[inner.Ref];
      if (given === undefined) throw new Error(`no parameter ${inner.Ref}`);
      return given;
    }
    throw new Error(`cannot compare ${JSON.stringify(inner)}`);
  };
  const condition = (name: string): boolean => {
    const known = resolved[name];
    if (known !== undefined) return known;
    const result = evaluateCondition(conditions[name], parameters, conditions, resolved);
    resolved[name] = result;
    return result;
  };
  if (!isObject(value)) throw new Error(`not a condition: ${JSON.stringify(value)}`);
  const [[name, argument] = []] = Object.entries(value);
  const args = Array.isArray(argument) ? argument : [];
  const each = (inner: TemplateValue) => evaluateCondition(inner, parameters, conditions, resolved);
  switch (name) {
    case 'Condition':
      return condition(String(argument));
    case 'Fn::Equals':
      return scalar(args[0]) === scalar(args[1]);
    case 'Fn::Not':
      return !each(args[0] ?? null);
    case 'Fn::And':
      return args.every(each);
    case 'Fn::Or':
      return args.some(each);
    default:
      throw new Error(`cannot evaluate the condition ${JSON.stringify(value)}`);
  }
};

/**
 * template.yaml deployed as `place` says: each resource that exists under the parameters given,
 * with the names CloudFormation would give it, and a resolver for any of the template's values.
 */
export const deployedStack = (template: Template, place: StackPlace): DeployedStack => {
  const partition = place.partition ?? 'aws';
  const suffix = place.suffix ?? 'ABCDEFGHIJKLM';
  const keyId = place.keyId ?? '1234abcd-12ab-34cd-56ef-1234567890ab';
  const { stackName, account, region } = place;
  const parameters: Record<string, string> = {};
  for (const [name, declared] of Object.entries(template.Parameters ?? {})) {
    const value = place.parameters?.[name] ?? declared.Default;
    if (value === undefined) throw new Error(`no value for the parameter ${name}`);
    parameters[name] = String(value);
  }
  for (const name of Object.keys(place.parameters ?? {})) {
    if (parameters[name] === undefined) throw new Error(`the template has no parameter ${name}`);
  }
  const conditions: Record<string, boolean> = {};
  for (const name of Object.keys(template.Conditions ?? {})) {
    evaluateCondition({ Condition: name }, parameters, template.Conditions ?? {}, conditions);
  }
  const pseudo: Record<string, string> = {
    'AWS::StackName': stackName,
    'AWS::AccountId': account,
    'AWS::Region': region,
    'AWS::Partition': partition,
    'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::StackId': `arn:${partition}:cloudformation:${region}:${account}:stack/${stackName}/5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
  };
  const refs: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  const exists = (resource: Resource) =>
    resource.Condition === undefined || conditions[resource.Condition] === true;

  const resolve = (value: TemplateValue | undefined): unknown => {
    if (value === undefined || value === null) return value;
    if (Array.isArray(value)) return value.map(resolve).filter((item) => item !== NO_VALUE);
    if (!isObject(value)) return value;
    const entries = Object.entries(value);
    const [[name, argument] = []] = entries;
    if (entries.length === 1 && name !== undefined && (name === 'Ref' || name.startsWith('Fn::'))) {
      return intrinsic(name, argument ?? null);
    }
    return Object.fromEntries(
      entries
        .map(([key, inner]) => [key, resolve(inner)] as const)
        .filter(([, inner]) => inner !== NO_VALUE),
    );
  };

  const text = (value: TemplateValue): string => {
    const result = resolve(value);
    if (typeof result !== 'string') throw new Error(`${JSON.stringify(value)} is not a string`);
    return result;
  };

  const reference = (name: string): string | typeof NO_VALUE => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const value = pseudo[name] ?? parameters[name] ?? refs[name];
    if (value === undefined) throw new Error(`nothing to resolve Ref ${name} to`);
    return value;
  };

  const attribute = (logicalId: string, name: string): string => {
    const value = attributes[`${logicalId}.${name}`];
    if (value === undefined) throw new Error(`nothing to resolve ${logicalId}.${name} to`);
    return value;
  };

  const intrinsic = (name: string, argument: TemplateValue): unknown => {
    const args = Array.isArray(argument) ? argument : [argument];
    switch (name) {
      case 'Ref':
        return reference(String(argument));
      case 'Fn::GetAtt': {
        const [logicalId, attributeName] =
          typeof argument === 'string' ? argument.split('.') : args.map(String);
        return attribute(String(logicalId), String(attributeName));
      }
      case 'Fn::Sub': {
        const [body, variables] = typeof argument === 'string' ? [argument, {}] : args;
        const given = isObject(variables ?? null)
          ? Object.fromEntries(
              Object.entries(variables as Record<string, TemplateValue>).map(([key, inner]) => [
                key,
                text(inner),
              ]),
            )
          : {};
        return String(body).replace(/\$\{([^}]+)\}/g, (_whole, key: string) => {
          if (key.startsWith('!')) return `\${${key.slice(1)}}`;
          const local = given[key];
          if (local !== undefined) return local;
          const dot = key.indexOf('.');
          if (dot > 0) return attribute(key.slice(0, dot), key.slice(dot + 1));
          const value = reference(key);
          if (value === NO_VALUE) throw new Error(`\${${key}} in a Sub`);
          return value;
        });
      }
      case 'Fn::Join': {
        const items = resolve(args[1] ?? []);
        if (!Array.isArray(items)) throw new Error(`Join of ${JSON.stringify(args[1])}`);
        return items.join(text(args[0] ?? ''));
      }
      case 'Fn::Split':
        return text(args[1] ?? '').split(text(args[0] ?? ''));
      case 'Fn::Select': {
        const items = resolve(args[1] ?? []);
        if (!Array.isArray(items)) throw new Error(`Select from ${JSON.stringify(args[1])}`);
        const item = items[Number(resolve(args[0] ?? 0))];
        if (item === undefined) throw new Error(`Select out of range: ${JSON.stringify(argument)}`);
        return item;
      }
      case 'Fn::If': {
        const [condition, then, otherwise] = args;
        const holds = conditions[String(condition)];
        if (holds === undefined) throw new Error(`no condition ${String(condition)}`);
        return resolve(holds ? then : otherwise);
      }
      default:
        throw new Error(`cannot resolve ${name}`);
    }
  };

  const arn = (service: string, resource: string, inRegion = region) =>
    `arn:${partition}:${service}:${inRegion}:${account}:${resource}`;
  const generated = (logicalId: string, type: string) =>
    generatedName(stackName, logicalId, suffix, NAME_LIMITS[type] ?? 255);
  const namedOr = (resource: Resource, property: string, logicalId: string): string => {
    const given = resource.Properties?.[property];
    return given === undefined ? generated(logicalId, resource.Type) : text(given);
  };

  // Resources are named in the template's order, except those whose names depend on others
  // (an alias's name, the parameter's): two passes settle every one this template has.
  const pending = Object.entries(template.Resources).filter(([, resource]) => exists(resource));
  for (let pass = 0; pass < 2; pass += 1) {
    for (const [logicalId, resource] of pending) {
      try {
        name(logicalId, resource);
      } catch (error) {
        if (pass === 1) throw error;
      }
    }
  }

  function name(logicalId: string, resource: Resource): void {
    switch (resource.Type) {
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function': {
        const functionName = namedOr(resource, 'FunctionName', logicalId);
        refs[logicalId] = functionName;
        attributes[`${logicalId}.Arn`] = arn('lambda', `function:${functionName}`);
        // SAM's AutoPublishAlias: `!Ref Function.Alias` is the alias's ARN.
        refs[`${logicalId}.Alias`] = arn('lambda', `function:${functionName}:live`);
        return;
      }
      case 'AWS::IAM::Role': {
        const roleName = namedOr(resource, 'RoleName', logicalId);
        refs[logicalId] = roleName;
        attributes[`${logicalId}.Arn`] = `arn:${partition}:iam::${account}:role/${roleName}`;
        return;
      }
      case 'AWS::IAM::ManagedPolicy':
        // Ref is the policy's ARN.
        refs[logicalId] =
          `arn:${partition}:iam::${account}:policy/${namedOr(resource, 'ManagedPolicyName', logicalId)}`;
        return;
      case 'AWS::SQS::Queue': {
        const queueName = namedOr(resource, 'QueueName', logicalId);
        refs[logicalId] = `https://sqs.${region}.amazonaws.com/${account}/${queueName}`;
        attributes[`${logicalId}.QueueName`] = queueName;
        attributes[`${logicalId}.Arn`] = arn('sqs', queueName);
        return;
      }
      case 'AWS::SNS::Topic': {
        const topicName = namedOr(resource, 'TopicName', logicalId);
        refs[logicalId] = arn('sns', topicName);
        attributes[`${logicalId}.TopicName`] = topicName;
        return;
      }
      case 'AWS::KMS::Key':
        refs[logicalId] = keyId;
        attributes[`${logicalId}.Arn`] = arn('kms', `key/${keyId}`);
        return;
      case 'AWS::KMS::Alias':
        refs[logicalId] = text(resource.Properties?.AliasName ?? null);
        return;
      case 'AWS::DynamoDB::Table': {
        const tableName = namedOr(resource, 'TableName', logicalId);
        refs[logicalId] = tableName;
        attributes[`${logicalId}.Arn`] = arn('dynamodb', `table/${tableName}`);
        return;
      }
      case 'AWS::Logs::LogGroup': {
        const groupName = namedOr(resource, 'LogGroupName', logicalId);
        refs[logicalId] = groupName;
        attributes[`${logicalId}.Arn`] = arn('logs', `log-group:${groupName}:*`);
        return;
      }
      case 'AWS::Events::Rule': {
        const ruleName = namedOr(resource, 'Name', logicalId);
        refs[logicalId] = ruleName;
        attributes[`${logicalId}.Arn`] = arn('events', `rule/${ruleName}`);
        return;
      }
      case 'AWS::Events::Connection':
      case 'AWS::Events::ApiDestination': {
        const eventsName = namedOr(resource, 'Name', logicalId);
        const kind = resource.Type === 'AWS::Events::Connection' ? 'connection' : 'api-destination';
        refs[logicalId] = eventsName;
        // EventBridge adds an id of its own after the name.
        attributes[`${logicalId}.Arn`] = arn(
          'events',
          `${kind}/${eventsName}/5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
        );
        return;
      }
      case 'AWS::CloudWatch::Alarm': {
        const alarmName = namedOr(resource, 'AlarmName', logicalId);
        refs[logicalId] = alarmName;
        attributes[`${logicalId}.Arn`] = arn('cloudwatch', `alarm:${alarmName}`);
        return;
      }
      case 'AWS::SSM::Parameter':
        refs[logicalId] = namedOr(resource, 'Name', logicalId);
        return;
      case 'AWS::S3::Bucket': {
        const bucketName = namedOr(resource, 'BucketName', logicalId).toLowerCase();
        refs[logicalId] = bucketName;
        attributes[`${logicalId}.Arn`] = `arn:${partition}:s3:::${bucketName}`;
        return;
      }
      case 'AWS::CloudWatch::Dashboard':
        refs[logicalId] = namedOr(resource, 'DashboardName', logicalId);
        return;
      default:
        // Policies, permissions, subscriptions: nothing of the monitor refers to their names.
        refs[logicalId] = `${stackName}-${logicalId}-${suffix}`;
    }
  }

  return {
    stackName,
    account,
    region,
    partition,
    suffix,
    keyId,
    parameters,
    conditions,
    refs,
    attributes,
    resolve,
  };
};

/** A resource's property as deployed: the template's value, resolved in the stack. */
export const deployedProperty = (
  template: Template,
  stack: DeployedStack,
  logicalId: string,
  property: string,
): unknown => stack.resolve(resourceOf(template, logicalId).Properties?.[property] ?? null);

/** A function's environment as deployed, every value a string. */
export const deployedEnvironment = (
  template: Template,
  stack: DeployedStack,
  logicalId: string,
): Record<string, string> => {
  const environment = deployedProperty(template, stack, logicalId, 'Environment');
  const variables = isObject(environment as TemplateValue)
    ? (environment as { Variables?: Record<string, unknown> }).Variables
    : undefined;
  return Object.fromEntries(
    Object.entries(variables ?? {}).map(([key, value]) => [key, String(value)]),
  );
};
