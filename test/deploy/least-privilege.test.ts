import { describe, expect, it } from 'vitest';
import {
  asList,
  grantsOf,
  isObject,
  loadTemplate,
  TEMPLATES,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';
import { transformedTemplate } from './transformed-template.js';

/**
 * The only places a grant may name Resource '*'. Keep this list short and say why.
 */
const RESOURCE_WILDCARD_EXCEPTIONS = {
  /** AWS offers no resource-level permission for these: the Service Authorization Reference
   * lists no resource type, so '*' is the only Resource they accept. */
  actions: new Set([
    'iam:GetAccountSummary',
    'iam:ListUsers',
    'cloudtrail:DescribeTrails',
    'ec2:DescribeRegions',
    'sns:GetSubscriptionAttributes',
    'cloudformation:DescribeStackDriftDetectionStatus',
    'kms:ListAliases',
    'organizations:DescribeOrganization',
    'organizations:ListAccounts',
  ]),
  /** In a key policy, Resource '*' means "this key". */
  resourceTypes: new Set(['AWS::KMS::Key']),
};

interface FoundStatement {
  where: string;
  resourceType: string;
  statement: Record<string, unknown>;
}

/** Every policy statement in a template, wherever it sits (both branches of an Fn::If too). */
const statementsOf = (template: Template): FoundStatement[] => {
  const found: FoundStatement[] = [];
  const walk = (node: unknown, where: string, resourceType: string): void => {
    if (Array.isArray(node)) {
      for (const [index, child] of node.entries()) walk(child, `${where}[${index}]`, resourceType);
      return;
    }
    if (!isObject(node)) return;
    if ('Effect' in node && ('Action' in node || 'NotAction' in node)) {
      found.push({ where, resourceType, statement: node });
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, `${where}.${key}`, resourceType);
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    walk(resource.Properties, logicalId, resource.Type);
  }
  return found;
};

/** What is wrong with one statement, in words; empty when nothing is. */
const problemsOf = ({ where, resourceType, statement }: FoundStatement): string[] => {
  // A Deny may be as broad as it likes: it only ever takes permissions away.
  if (statement.Effect !== 'Allow') return [];
  const problems: string[] = [];
  if ('NotAction' in statement) problems.push(`${where}: NotAction grants every other action`);
  if ('NotResource' in statement) {
    problems.push(`${where}: NotResource grants every other resource`);
  }
  const actions = 'Action' in statement ? asList(statement.Action) : [];
  for (const action of actions) {
    if (typeof action !== 'string') {
      problems.push(`${where}: action ${JSON.stringify(action)} is not a literal`);
    } else if (action.includes('*')) {
      problems.push(`${where}: wildcard action ${action}`);
    }
  }
  const resourceIsWildcard = asList(statement.Resource).some((resource) => resource === '*');
  const exempt =
    RESOURCE_WILDCARD_EXCEPTIONS.resourceTypes.has(resourceType) ||
    actions.every(
      (action) => typeof action === 'string' && RESOURCE_WILDCARD_EXCEPTIONS.actions.has(action),
    );
  if (resourceIsWildcard && !exempt) {
    problems.push(`${where}: Resource '*' for ${actions.join(', ')}`);
  }
  const principal = statement.Principal;
  const everyone = principal === '*' || (isObject(principal) && principal.AWS === '*');
  if (everyone && statement.Condition === undefined) {
    problems.push(`${where}: allows every principal without a condition`);
  }
  return problems;
};

const problemsIn = (template: Template): string[] => statementsOf(template).flatMap(problemsOf);

describe('least privilege', () => {
  it.each(TEMPLATES)('%s grants no wildcard action and no unlisted wildcard resource', (path) => {
    const template = loadTemplate(path);

    expect(statementsOf(template).length).toBeGreaterThan(0);
    expect(problemsIn(template)).toEqual([]);
  });

  it('holds for template.yaml after the SAM transform, which may add policies of its own', () => {
    expect(problemsIn(transformedTemplate())).toEqual([]);
  });

  it.each(['RootMonitorRole', 'TrailFileRole'])(
    'names the resource of every grant of %s, its managed policies included, except the listed IAM reads',
    (roleId) => {
      const grants = grantsOf(loadTemplate('template.yaml'), roleId).filter(({ statement }) =>
        asList(statement.Resource).includes('*'),
      );

      expect(grants.map(({ statement }) => statement.Action)).toEqual([
        ['iam:GetAccountSummary', 'iam:ListUsers'],
      ]);
    },
  );

  describe('the check itself', () => {
    const templateWith = (resourceType: string, statement: TemplateValue): Template => ({
      Resources: {
        Subject: {
          Type: resourceType,
          Properties: { PolicyDocument: { Statement: [statement] } },
        },
      },
    });

    it.each([
      ['every action', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }],
      ['a service wildcard', { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b' }],
      ['a verb wildcard', { Effect: 'Allow', Action: ['s3:Get*'], Resource: 'arn:aws:s3:::b' }],
      ['an unlisted resource wildcard', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      [
        'a listed action mixed with an unlisted one',
        { Effect: 'Allow', Action: ['iam:ListUsers', 'iam:DeleteUser'], Resource: '*' },
      ],
      ['NotAction', { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }],
      [
        'every principal without a condition',
        { Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: 'arn:aws:sns:t' },
      ],
    ])('rejects %s', (_name, statement) => {
      expect(problemsIn(templateWith('AWS::IAM::Role', statement))).toHaveLength(1);
    });

    it('accepts a key policy naming the key as *, and a broad Deny', () => {
      expect(
        problemsIn(
          templateWith('AWS::KMS::Key', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }),
        ),
      ).toEqual([]);
      expect(
        problemsIn(
          templateWith('AWS::S3::BucketPolicy', {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: '*',
          }),
        ),
      ).toEqual([]);
    });
  });
});
