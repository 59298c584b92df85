import { describe, expect, it } from 'vitest';
import {
  evaluate,
  isObject,
  loadTemplate,
  resourceOf,
  TEMPLATES,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';

const template = loadTemplate('template.yaml');

/** Every value under `key` anywhere in `node`, with where it sits. */
const valuesUnder = (
  node: unknown,
  key: string,
  where = '',
): { where: string; value: unknown }[] => {
  if (Array.isArray(node))
    return node.flatMap((child, index) => valuesUnder(child, key, `${where}[${index}]`));
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([name, child]) => [
    ...(name === key ? [{ where: `${where}.${name}`, value: child }] : []),
    ...valuesUnder(child, key, `${where}.${name}`),
  ]);
};

const resourcesOf = (loaded: Template) => loaded.Resources;

describe('template.yaml, hardened', () => {
  it("reads the trails of this account, and of the management account when one is given, not any account's", () => {
    const policies = resourceOf(template, 'HealthCheckRole').Properties?.Policies as {
      PolicyDocument: { Statement: { Sid?: string; Resource?: unknown }[] };
    }[];
    const readTrails = policies
      .flatMap(({ PolicyDocument }) => PolicyDocument.Statement)
      .find(({ Sid }) => Sid === 'ReadTrails');

    expect(readTrails?.Resource).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      { 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*' },
      {
        'Fn::If': [
          'HasManagementAccount',
          {
            'Fn::Sub':
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
              'arn:${AWS::Partition}:cloudtrail:*:${OrganizationManagementAccountId}:trail/*',
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
    ]);
  });

  it.each(TEMPLATES)(
    '%s names service hosts in policy conditions with the partition URL suffix (China Regions), principals as they are',
    (path) => {
      const conditions = Object.entries(resourcesOf(loadTemplate(path))).flatMap(
        ([logicalId, resource]) => valuesUnder(resource.Properties, 'Condition', logicalId),
      );
      const hardWritten = conditions.filter(({ value }) =>
        JSON.stringify(value).includes('.amazonaws.com'),
      );

      expect(hardWritten.map(({ where }) => where)).toEqual([]);
    },
  );

  it('never selects out of range from a parameter left empty, in a branch taken or not', () => {
    const empty = Object.fromEntries(
      Object.keys(template.Parameters ?? {}).map((name) => [name, '']),
    );
    const selects = Object.entries(template.Resources).flatMap(([logicalId, resource]) =>
      valuesUnder(resource.Properties, 'Fn::Select', logicalId),
    );

    expect(selects.length).toBeGreaterThanOrEqual(5);
    for (const { where, value } of selects) {
      expect(() => evaluate({ 'Fn::Select': value as TemplateValue }, empty), where).not.toThrow();
    }
  });

  it("says where TrailQueueArn is entered that its queue's visibility timeout must cover the backstop's timeout", () => {
    const timeout = resourceOf(template, 'TrailFileFunction').Properties?.Timeout;
    const description = String(template.Parameters?.TrailQueueArn?.Description);

    expect(description).toContain(
      `visibility timeout must be at least the backstop function's timeout, ${timeout} seconds`,
    );
  });

  it('writes each build property alike in every function (SourcesContent a string, as sam build passes it on)', () => {
    const functions = Object.values(template.Resources).filter(
      ({ Type }) => Type === 'AWS::Serverless::Function',
    );
    const withSourceMaps = functions.filter(
      ({ Metadata }) =>
        isObject(Metadata?.BuildProperties) && Metadata.BuildProperties.Sourcemap === true,
    );

    expect(withSourceMaps.length).toBeGreaterThan(0);
    for (const { Metadata } of withSourceMaps) {
      expect(
        (Metadata?.BuildProperties as Record<string, unknown> | undefined)?.SourcesContent,
      ).toBe('false');
    }
  });
});
