import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CollectionTag, parse, type ScalarTag } from 'yaml';

/** The repository root, so tests read the files users deploy, wherever vitest runs from. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every template the project ships, relative to the root. */
export const TEMPLATES = [
  'template.yaml',
  'infra/region-forwarder.yaml',
  'infra/monitoring-bus-policy.yaml',
] as const;

export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | TemplateValue[]
  | { [key: string]: TemplateValue };

export interface Resource {
  Type: string;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, TemplateValue>;
  Properties?: Record<string, TemplateValue>;
}

export interface Template {
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
export const loadTemplate = (relativePath: string): Template =>
  parse(readFileSync(join(REPO_ROOT, relativePath), 'utf8'), {
    customTags: shortFormTags(),
  }) as Template;

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
