import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CollectionTag, parse, type ScalarTag } from 'yaml';
import type { TemplateValue } from '../../src/health/deployed-stack.js';

/** The repository root, so tests read the files users deploy, wherever vitest runs from. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every template the project ships, relative to the root. */
export const TEMPLATES = [
  'template.yaml',
  'infra/region-forwarder.yaml',
  'infra/monitoring-bus-policy.yaml',
] as const;

/** A template's values, as the health checks read the deployed one. */
export type { TemplateValue };

export interface Resource {
  Type: string;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, TemplateValue>;
  Properties?: Record<string, TemplateValue>;
}

export interface Template {
  Metadata?: Record<string, TemplateValue>;
  Parameters?: Record<string, Record<string, TemplateValue>>;
  Mappings?: Record<string, Record<string, Record<string, TemplateValue>>>;
  Conditions?: Record<string, TemplateValue>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: TemplateValue }>;
}

const INTRINSICS = [
  'And',
  'Base64',
  'Cidr',
  'Contains',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
] as const;

/** The JSON form CloudFormation itself uses for a short-form tag (`!Sub x` is `{"Fn::Sub": x}`). */
const longForm = (name: string, value: unknown): unknown => {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
};

const shortFormTags = (): (ScalarTag | CollectionTag)[] =>
  ['Ref', 'Condition', ...INTRINSICS].flatMap((name) => {
    const tag = `!${name}`;
    const scalar: ScalarTag = { tag, resolve: (text) => longForm(name, text) };
    const sequence: CollectionTag = {
      tag,
      collection: 'seq',
      resolve: (node) => longForm(name, node.toJSON()),
    };
    const mapping: CollectionTag = {
      tag,
      collection: 'map',
      resolve: (node) => longForm(name, node.toJSON()),
    };
    return [scalar, sequence, mapping];
  });

/**
 * Reads a CloudFormation YAML template into the JSON form CloudFormation works on, with the
 * short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`...) turned into their long forms.
 */
export const parseTemplate = (text: string): Template =>
  parse(text, { customTags: shortFormTags() }) as Template;

/** A template of the repository, read as `parseTemplate` does. */
export const loadTemplate = (relativePath: string): Template =>
  parseTemplate(readFileSync(join(REPO_ROOT, relativePath), 'utf8'));

/** A resource of a template, failing with the template's resource names when it is missing. */
export const resourceOf = (template: Template, logicalId: string): Resource => {
  const resource = template.Resources[logicalId];
  if (resource === undefined) {
    throw new Error(
      `no resource ${logicalId}; the template has ${Object.keys(template.Resources).join(', ')}`,
    );
  }
  return resource;
};

/** A function resource's environment variables (empty when it declares none). */
export const environmentOf = (resource: Resource): Record<string, TemplateValue> => {
  const environment = resource.Properties?.Environment;
  const variables =
    typeof environment === 'object' && environment !== null && !Array.isArray(environment)
      ? environment.Variables
      : undefined;
  return typeof variables === 'object' && variables !== null && !Array.isArray(variables)
    ? variables
    : {};
};

export const isObject = (value: unknown): value is Record<string, TemplateValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value CloudFormation takes as one item or a list of them, as a list (none when absent). */
export const asList = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];

/**
 * What CloudFormation makes of an expression built from parameters alone (`Ref` to a parameter,
 * `Fn::Split`, `Fn::Select`, `Fn::Join`, `Fn::Sub`), given the parameters' values: to check what
 * a template derives from a value a user gives. Anything else throws, naming it.
 */
export const evaluate = (
  value: TemplateValue,
  parameters: Readonly<Record<string, string>>,
): string | string[] => {
  const text = (inner: TemplateValue, variables = parameters): string => {
    const result = evaluate(inner, variables);
    if (typeof result !== 'string') throw new Error(`${JSON.stringify(inner)} is not a string`);
    return result;
  };
  const list = (inner: TemplateValue): string[] => {
    const result = evaluate(inner, parameters);
    if (!Array.isArray(result)) throw new Error(`${JSON.stringify(inner)} is not a list`);
    return result;
  };
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => text(item));
  if (isObject(value)) {
    const [[name, argument] = []] = Object.entries(value);
    const args = asList(argument);
    if (name === 'Ref' && typeof argument === 'string') {
      const given = parameters[argument];
      if (given === undefined) throw new Error(`no value given for ${argument}`);
      return given;
    }
    if (name === 'Fn::Split' && args.length === 2) {
      return text(args[1] ?? '').split(text(args[0] ?? ''));
    }
    if (name === 'Fn::Join' && args.length === 2) {
      return list(args[1] ?? []).join(text(args[0] ?? ''));
    }
    if (name === 'Fn::Select' && args.length === 2) {
      const item = list(args[1] ?? [])[Number(text(String(args[0])))];
      if (item === undefined) throw new Error(`${JSON.stringify(value)}: no such item`);
      return item;
    }
    if (name === 'Fn::Sub') {
      const [template = '', names = {}] = typeof argument === 'string' ? [argument] : args;
      const variables = { ...parameters };
      for (const [key, inner] of Object.entries(isObject(names) ? names : {})) {
        variables[key] = text(inner);
      }
      return text(template).replace(/\$\{([^}]+)\}/g, (_whole, key: string) =>
        text({ Ref: key }, variables),
      );
    }
  }
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
};

/** A policy statement a role is granted, and the condition it is granted under (null: always). */
export interface Grant {
  condition: string | null;
  statement: Record<string, TemplateValue>;
}

/** `!If [Condition, value, AWS::NoValue]` as [Condition, value]; anything else as [null, it]. */
const guarded = (value: TemplateValue): [string | null, TemplateValue] => {
  const branches = isObject(value) ? value['Fn::If'] : undefined;
  if (!Array.isArray(branches)) return [null, value];
  const [condition, then, otherwise] = branches;
  if (JSON.stringify(otherwise) !== JSON.stringify({ Ref: 'AWS::NoValue' })) {
    throw new Error(`a statement or attachment with two branches: ${JSON.stringify(value)}`);
  }
  return [String(condition), then ?? null];
};

const grantsIn = (document: TemplateValue | undefined, condition: string | null): Grant[] =>
  asList(isObject(document) ? document.Statement : undefined).flatMap((entry) => {
    const [own, statement] = guarded(entry);
    return isObject(statement) ? [{ condition: own ?? condition, statement }] : [];
  });

/**
 * What a role may do: the statements of its inline policies, and of each managed policy of the
 * template it attaches, each with the condition it is granted under (the statement's own, its
 * attachment's, or its policy's). A managed policy from outside the template fails: its
 * statements would be out of every test's sight.
 */
export const grantsOf = (template: Template, roleId: string): Grant[] => {
  const properties = resourceOf(template, roleId).Properties ?? {};
  const inline = asList(properties.Policies)
    .filter(isObject)
    .flatMap((policy) => grantsIn(policy.PolicyDocument, null));
  const attached = asList(properties.ManagedPolicyArns).flatMap((entry) => {
    const [condition, arn] = guarded(entry);
    const logicalId = isObject(arn) ? arn.Ref : undefined;
    const policy = typeof logicalId === 'string' ? template.Resources[logicalId] : undefined;
    if (policy?.Type !== 'AWS::IAM::ManagedPolicy') {
      throw new Error(
        `${roleId} attaches ${JSON.stringify(arn)}, not a managed policy of the template`,
      );
    }
    return grantsIn(policy.Properties?.PolicyDocument, condition ?? policy.Condition ?? null);
  });
  return [...inline, ...attached];
};

/** A role's grants by Sid, each with the condition it is granted under. */
export const grantsBySid = (template: Template, roleId: string): Map<string, Grant> => {
  const grants = grantsOf(template, roleId);
  const bySid = new Map(grants.map((grant) => [String(grant.statement.Sid), grant]));
  if (bySid.size !== grants.length) throw new Error(`${roleId} grants two statements of one Sid`);
  return bySid;
};
