import { RootMonitorError } from '../errors.js';

/**
 * The monitor's stack as CloudFormation holds it: the processed template (after the SAM
 * transform), the parameter values it was deployed with, and the physical id of each resource.
 * The checks compare what runs with what this declares. CloudFormation changes it only through
 * a stack operation, which deploys the resources it declares at the same time: nobody can make
 * the declaration and a resource disagree in one call, as they could with a copy kept in a
 * function's settings.
 */

export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | TemplateValue[]
  | { [key: string]: TemplateValue };

type TemplateObject = { [key: string]: TemplateValue };

export interface TemplateResource {
  Type: string;
  Condition?: string;
  Properties?: TemplateObject;
}

export interface StackTemplate {
  Parameters?: Record<string, { Type?: string }>;
  Mappings?: Record<string, Record<string, Record<string, TemplateValue>>>;
  Conditions?: Record<string, TemplateValue>;
  Resources: Record<string, TemplateResource>;
}

/** What CloudFormation says of the deployed stack besides its template. */
export interface StackFacts {
  stackName: string;
  stackId: string;
  /** The values it was deployed with, defaults included. */
  parameters: Readonly<Record<string, string>>;
  /** Logical id -> physical id, for each resource the stack holds. */
  physicalIds: Readonly<Record<string, string>>;
}

/** A template that holds what the resolver cannot read, or refers to what the stack lacks. */
export class StackTemplateError extends RootMonitorError {
  override name = 'StackTemplateError';
}

/** AWS::NoValue: the property or list item is left out. */
const NO_VALUE = Symbol('AWS::NoValue');
type Resolved = TemplateValue | typeof NO_VALUE;

const isObject = (value: unknown): value is TemplateObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The only key of a one-key object, as intrinsic functions are written; undefined otherwise. */
const intrinsicOf = (value: TemplateObject): string | undefined => {
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 &&
    key !== undefined &&
    (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))
    ? key
    : undefined;
};

const URL_SUFFIXES: Record<string, string> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

/**
 * How `Fn::GetAtt RESOURCE.Arn` (and the few other attributes the monitor's template uses) is
 * made from a resource's physical id, type by type.
 */
const attributeOf = (
  type: string,
  attribute: string,
  physicalId: string,
  { partition, region, account }: { partition: string; region: string; account: string },
): string | undefined => {
  const arn = (service: string, resource: string, inRegion = region) =>
    `arn:${partition}:${service}:${inRegion}:${account}:${resource}`;
  const lastOf = (text: string, separator: string) => text.split(separator).at(-1) ?? text;
  const key = `${type}.${attribute}`;
  switch (key) {
    case 'AWS::Lambda::Function.Arn':
      return arn('lambda', `function:${physicalId}`);
    case 'AWS::SQS::Queue.Arn':
      // The physical id of a queue is its URL: https://sqs.REGION.amazonaws.com/ACCOUNT/NAME.
      return arn('sqs', lastOf(physicalId, '/'));
    case 'AWS::SQS::Queue.QueueName':
      return lastOf(physicalId, '/');
    case 'AWS::SQS::Queue.QueueUrl':
      return physicalId;
    case 'AWS::Events::Rule.Arn':
      // A rule on another bus than the default has BUS|NAME as its physical id.
      return arn('events', `rule/${physicalId.replace('|', '/')}`);
    case 'AWS::IAM::Role.Arn':
      return arn('iam', `role/${physicalId}`, '');
    case 'AWS::KMS::Key.Arn':
      return arn('kms', `key/${physicalId}`);
    case 'AWS::KMS::Key.KeyId':
      return physicalId;
    case 'AWS::DynamoDB::Table.Arn':
      return arn('dynamodb', `table/${physicalId}`);
    case 'AWS::S3::Bucket.Arn':
      return `arn:${partition}:s3:::${physicalId}`;
    case 'AWS::SNS::Topic.TopicArn':
      return physicalId;
    case 'AWS::SNS::Topic.TopicName':
      return lastOf(physicalId, ':');
    case 'AWS::CloudWatch::Alarm.Arn':
      return arn('cloudwatch', `alarm:${physicalId}`);
    case 'AWS::Logs::LogGroup.Arn':
      return arn('logs', `log-group:${physicalId}:*`);
    case 'AWS::Lambda::Version.Version':
      return lastOf(physicalId, ':');
    default:
      return undefined;
  }
};

/**
 * The deployed stack, its template's values resolved as CloudFormation resolved them: parameters
 * and pseudo parameters, resources' physical ids, conditions, mappings and the intrinsic
 * functions the monitor's templates use. What it cannot resolve it refuses, naming it, so a
 * check never compares with a guess.
 */
export class DeployedStack {
  readonly template: StackTemplate;
  readonly facts: StackFacts;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly #conditions = new Map<string, boolean>();

  constructor(template: StackTemplate, facts: StackFacts) {
    this.template = template;
    this.facts = facts;
    // arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID
    const [, partition, , region, account] = facts.stackId.split(':');
    if (partition === undefined || region === undefined || account === undefined) {
      throw new StackTemplateError(`not a stack ARN: ${facts.stackId}`);
    }
    this.partition = partition;
    this.region = region;
    this.account = account;
  }

  get urlSuffix(): string {
    return URL_SUFFIXES[this.partition] ?? 'amazonaws.com';
  }

  /** Whether a resource of the template exists in this deployment (its Condition holds). */
  declares(logicalId: string): boolean {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) return false;
    return resource.Condition === undefined || this.condition(resource.Condition);
  }

  /** The logical ids of the resources of a type that this deployment holds. */
  logicalIdsOf(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([logicalId, resource]) => resource.Type === type && this.declares(logicalId))
      .map(([logicalId]) => logicalId);
  }

  /** The resources of a type that this deployment holds, each with its resolved properties. */
  resourcesOf(type: string): { logicalId: string; properties: TemplateObject }[] {
    return this.logicalIdsOf(type).map((logicalId) => ({
      logicalId,
      properties: this.properties(logicalId),
    }));
  }

  /** The physical id of a resource, or undefined when the stack does not hold it. */
  physicalId(logicalId: string): string | undefined {
    return this.facts.physicalIds[logicalId];
  }

  /** A resource's properties with every intrinsic function resolved. */
  properties(logicalId: string): TemplateObject {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) {
      throw new StackTemplateError(`the stack's template has no resource ${logicalId}`);
    }
    const resolved = this.resolve(resource.Properties ?? {}, logicalId);
    return isObject(resolved) ? resolved : {};
  }

  /** One property of a resource, resolved; undefined when the template does not set it. */
  property(logicalId: string, name: string): TemplateValue | undefined {
    const value = this.template.Resources[logicalId]?.Properties?.[name];
    return value === undefined ? undefined : this.resolve(value, `${logicalId}.${name}`);
  }

  /** One value of the template, resolved. */
  resolve(value: TemplateValue, where = 'the template'): TemplateValue {
    const resolved = this.#resolve(value, where);
    return resolved === NO_VALUE ? null : resolved;
  }

  condition(name: string): boolean {
    const known = this.#conditions.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) {
      throw new StackTemplateError(`the stack's template has no condition ${name}`);
    }
    const holds = this.#truth(definition, `condition ${name}`);
    this.#conditions.set(name, holds);
    return holds;
  }

  #truth(value: TemplateValue, where: string): boolean {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    if (!isObject(value)) throw new StackTemplateError(`${where}: not a condition`);
    const name = intrinsicOf(value);
    const argument = name === undefined ? undefined : value[name];
    const list = Array.isArray(argument) ? argument : [];
    switch (name) {
      case 'Condition':
        return this.condition(String(argument));
      case 'Fn::Equals': {
        const [left, right] = list.map((item) => this.#resolve(item, where));
        return JSON.stringify(left) === JSON.stringify(right);
      }
      case 'Fn::Not':
        return !this.#truth(list[0] ?? null, where);
      case 'Fn::And':
        return list.every((item) => this.#truth(item, where));
      case 'Fn::Or':
        return list.some((item) => this.#truth(item, where));
      case 'Fn::Contains': {
        const [within, sought] = list.map((item) => this.#resolve(item, where));
        return (
          Array.isArray(within) &&
          within.some((item) => JSON.stringify(item) === JSON.stringify(sought))
        );
      }
      default:
        throw new StackTemplateError(`${where}: cannot evaluate ${name ?? 'this'} as a condition`);
    }
  }

  #ref(name: string, where: string): Resolved {
    switch (name) {
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return this.urlSuffix;
      case 'AWS::StackName':
        return this.facts.stackName;
      case 'AWS::StackId':
        return this.facts.stackId;
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const parameter = this.facts.parameters[name];
    if (parameter !== undefined) {
      const type = this.template.Parameters?.[name]?.Type ?? 'String';
      return type.startsWith('List<') || type === 'CommaDelimitedList'
        ? parameter.split(',')
        : parameter;
    }
    if (this.template.Parameters?.[name] !== undefined) {
      throw new StackTemplateError(`${where}: the stack has no value for parameter ${name}`);
    }
    const physicalId = this.physicalId(name);
    if (physicalId !== undefined) return physicalId;
    throw new StackTemplateError(
      this.template.Resources[name] === undefined
        ? `${where}: Ref ${name} names nothing in the stack`
        : `${where}: the stack holds no ${name}`,
    );
  }

  #getAtt(logicalId: string, attribute: string, where: string): string {
    const type = this.template.Resources[logicalId]?.Type;
    const physicalId = this.physicalId(logicalId);
    if (type === undefined || physicalId === undefined) {
      throw new StackTemplateError(`${where}: the stack holds no ${logicalId}`);
    }
    const value = attributeOf(type, attribute, physicalId, this);
    if (value === undefined) {
      throw new StackTemplateError(
        `${where}: cannot resolve Fn::GetAtt ${logicalId}.${attribute} (${type})`,
      );
    }
    return value;
  }

  #sub(text: string, variables: TemplateObject, where: string): string {
    return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in variables) {
        const value = this.#resolve(variables[name] ?? null, where);
        return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
      }
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        return this.#getAtt(name.slice(0, dot), name.slice(dot + 1), where);
      }
      const value = this.#ref(name, where);
      if (typeof value !== 'string') {
        throw new StackTemplateError(`${where}: \${${name}} is not a string`);
      }
      return value;
    });
  }

  #resolve(value: TemplateValue, where: string): Resolved {
    if (Array.isArray(value)) {
      return value
        .map((item) => this.#resolve(item, where))
        .filter((item): item is TemplateValue => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const name = intrinsicOf(value);
    if (name === undefined) {
      const object: TemplateObject = {};
      for (const [key, item] of Object.entries(value)) {
        const resolved = this.#resolve(item, where);
        if (resolved !== NO_VALUE) object[key] = resolved;
      }
      return object;
    }
    const argument = value[name] ?? null;
    const list = Array.isArray(argument) ? argument : [];
    const resolvedList = () => {
      const resolved = this.#resolve(argument, where);
      return Array.isArray(resolved) ? resolved : [];
    };
    switch (name) {
      case 'Ref':
        return this.#ref(String(argument), where);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] =
          typeof argument === 'string' ? argument.split(/\.(.*)/s) : list.map(String);
        return this.#getAtt(String(logicalId), String(attribute), where);
      }
      case 'Fn::Sub': {
        if (typeof argument === 'string') return this.#sub(argument, {}, where);
        const [text, variables] = list;
        return this.#sub(String(text), isObject(variables) ? variables : {}, where);
      }
      case 'Fn::Join': {
        const [separator, items] = list;
        const parts = this.#resolve(items ?? [], where);
        return (Array.isArray(parts) ? parts : []).map(String).join(String(separator ?? ''));
      }
      case 'Fn::Split': {
        const [separator, text] = resolvedList();
        return String(text ?? '').split(String(separator ?? ''));
      }
      case 'Fn::Select': {
        const [index, items] = resolvedList();
        const chosen = Array.isArray(items) ? items[Number(index)] : undefined;
        if (chosen === undefined) {
          throw new StackTemplateError(
            `${where}: Fn::Select index ${String(index)} is out of range`,
          );
        }
        return chosen;
      }
      case 'Fn::FindInMap': {
        const [map, first, second] = resolvedList().map(String);
        const found = this.template.Mappings?.[map ?? '']?.[first ?? '']?.[second ?? ''];
        if (found === undefined) {
          throw new StackTemplateError(
            `${where}: Fn::FindInMap ${map}.${first}.${second} is not in the template`,
          );
        }
        return this.#resolve(found, where);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = list;
        return this.#resolve(
          (this.condition(String(condition)) ? whenTrue : whenFalse) ?? null,
          where,
        );
      }
      case 'Fn::ToJsonString': {
        return JSON.stringify(this.resolve(argument, where));
      }
      case 'Condition':
        return this.condition(String(argument));
      default:
        throw new StackTemplateError(`${where}: cannot resolve ${name}`);
    }
  }
}

/** The processed template as GetTemplate returns it: JSON, since the SAM transform writes JSON. */
export const parseStackTemplate = (body: string): StackTemplate => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new StackTemplateError(
      "the stack's processed template is not JSON (GetTemplate with TemplateStage Processed returns the SAM transform's JSON)",
    );
  }
  if (!isObject(parsed) || !isObject(parsed.Resources ?? null)) {
    throw new StackTemplateError("the stack's template has no Resources");
  }
  return parsed as unknown as StackTemplate;
};
