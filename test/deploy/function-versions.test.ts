import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asList,
  isObject,
  loadTemplate,
  REPO_ROOT,
  type Template,
  type TemplateValue,
} from './cloudformation-template.js';
import { transformedTemplate, transformedText } from './transformed-template.js';

const ALIAS = 'live';
const written = loadTemplate('template.yaml');
const functionIds = Object.entries(written.Resources)
  .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
  .map(([logicalId]) => logicalId);

/** The logical ID a `{Ref: X}` names, or undefined for anything else. */
const refOf = (value: TemplateValue | undefined): string | undefined =>
  isObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined;

/** The parameters a value refers to: by Ref, in a Sub string, and through the conditions it uses. */
const parametersIn = (template: Template, value: unknown): Set<string> => {
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const found = new Set<string>();
  const conditionsSeen = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const [, name] of node.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) {
        if (name !== undefined && parameters.has(name)) found.add(name);
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!isObject(node)) return;
    const ref = refOf(node);
    if (ref !== undefined && parameters.has(ref)) found.add(ref);
    // A resource whose name is a parameter: a new value replaces it, and its Ref changes.
    if (ref !== undefined && template.Resources[ref] !== undefined) {
      walk(template.Resources[ref]?.Properties?.Name);
    }
    const condition = Array.isArray(node['Fn::If']) ? node['Fn::If'][0] : node.Condition;
    if (typeof condition === 'string' && !conditionsSeen.has(condition)) {
      conditionsSeen.add(condition);
      walk(template.Conditions?.[condition]);
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(value);
  return found;
};

describe('versions, not $LATEST: template.yaml as written', () => {
  it('publishes an alias for every function, a version whenever any property changes', () => {
    const globals = (written as { Globals?: { Function?: Record<string, TemplateValue> } }).Globals;

    expect(globals?.Function).toMatchObject({
      AutoPublishAlias: ALIAS,
      AutoPublishAliasAllProperties: true,
    });
    for (const logicalId of functionIds) {
      const properties = written.Resources[logicalId]?.Properties ?? {};
      expect(properties.AutoPublishAlias ?? ALIAS, logicalId).toBe(ALIAS);
      expect(properties.AutoPublishAliasAllProperties ?? true, logicalId).toBe(true);
    }
  });

  it.each(functionIds)(
    "%s publishes a version when a stack parameter its settings come from changes, which SAM's hash cannot see",
    (logicalId) => {
      const { VersionDescription, ...properties } = written.Resources[logicalId]?.Properties ?? {};
      // Events make resources of their own (rules, mappings), which change in place.
      const { Events: _, ...settings } = properties;
      const needed = parametersIn(written, settings);
      const carried = parametersIn(written, VersionDescription);

      expect(needed.size).toBeGreaterThan(0);
      expect([...needed].filter((name) => !carried.has(name))).toEqual([]);
      // And nothing that does not change what the function runs: a description that changes
      // alone would publish the same version again.
      expect([...carried].filter((name) => !needed.has(name))).toEqual([]);
    },
  );
});

/**
 * The longest text a parameter may hold, from its AllowedValues or MaxValue; undefined when
 * nothing bounds it.
 */
const longestValueOf = (name: string): number | undefined => {
  const parameter = written.Parameters?.[name] ?? {};
  if (Array.isArray(parameter.AllowedValues)) {
    return Math.max(...parameter.AllowedValues.map((value) => String(value).length));
  }
  return parameter.MaxValue === undefined ? undefined : String(parameter.MaxValue).length;
};

/**
 * The longest text a value may resolve to: a word's own length, a parameter's bound, the longer
 * branch of an `Fn::If`; undefined when anything in it is unbounded.
 */
const longestOf = (value: TemplateValue | undefined): number | undefined => {
  if (typeof value === 'string') return value.length;
  const ref = refOf(value);
  if (ref !== undefined) return longestValueOf(ref);
  const branches = isObject(value) ? value['Fn::If'] : undefined;
  if (!Array.isArray(branches)) return undefined;
  const lengths = branches.slice(1).map((branch) => longestOf(branch));
  return lengths.every((length): length is number => length !== undefined)
    ? Math.max(...lengths)
    : undefined;
};

/** Lambda's limit on a version's description. */
const DESCRIPTION_MAX_CHARS = 256;

describe("versions, not $LATEST: each function's version description", () => {
  it.each(functionIds)(
    "%s's leaves at least 100 of Lambda's 256 characters to the values no constraint bounds",
    (logicalId) => {
      const description = written.Resources[logicalId]?.Properties?.VersionDescription;
      const [text = '', variables = {}] = isObject(description)
        ? asList(description['Fn::Sub'])
        : [];
      const unbounded: string[] = [];
      const longest = String(text).replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name: string) => {
        // A variable of its own: the longest of its values when each is a word or a bounded
        // parameter; else the trail queue's name (80 characters at most).
        if (isObject(variables) && name in variables) {
          return 'x'.repeat(longestOf(variables[name]) ?? 80);
        }
        const length = longestValueOf(name);
        if (length === undefined) unbounded.push(name);
        return 'x'.repeat(length ?? 0);
      });

      expect(longest.length, `${logicalId}: ${unbounded.join(', ')}`).toBeLessThanOrEqual(
        DESCRIPTION_MAX_CHARS - 100,
      );
    },
  );
});

describe('versions, not $LATEST: template.yaml after the SAM transform', () => {
  const template = transformedTemplate();
  const resources = Object.entries(template.Resources);
  const aliases = new Map(
    resources.filter(([, resource]) => resource.Type === 'AWS::Lambda::Alias'),
  );
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);

  it('has one alias `live` per function, on a version of that function', () => {
    const functions = ofType('AWS::Lambda::Function').map(([logicalId]) => logicalId);
    const aliased = [...aliases.values()].map(({ Properties }) => {
      const pointsAt = Properties?.FunctionVersion;
      const version = isObject(pointsAt) ? String(asList(pointsAt['Fn::GetAtt'])[0]) : '';
      expect(template.Resources[version]?.Properties?.FunctionName).toEqual(
        Properties?.FunctionName,
      );
      expect(Properties?.Name).toBe(ALIAS);
      return refOf(Properties?.FunctionName);
    });

    expect(aliased.sort()).toEqual(functions.sort());
  });

  it('has every rule target that is a function name an alias', () => {
    const apiDestinations = new Set(
      ofType('AWS::Events::ApiDestination').map(([logicalId]) => logicalId),
    );
    /** A target that calls out of AWS (PagerDuty): no function, so no alias. */
    const callsOut = (arn: TemplateValue | undefined): boolean =>
      isObject(arn) &&
      Array.isArray(arn['Fn::GetAtt']) &&
      apiDestinations.has(String(arn['Fn::GetAtt'][0]));
    const targets = ofType('AWS::Events::Rule').flatMap(([rule, resource]) =>
      asList(resource.Properties?.Targets)
        .filter(isObject)
        .filter((target) => !callsOut(target.Arn))
        .map((target) => [rule, refOf(target.Arn)]),
    );

    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const [rule, target] of targets) {
      expect(aliases.has(target ?? ''), `${rule} targets ${target}`).toBe(true);
    }
  });

  it('has every event source mapping, invoke permission and invoke configuration name an alias', () => {
    for (const [logicalId, resource] of ofType('AWS::Lambda::EventSourceMapping')) {
      expect(aliases.has(refOf(resource.Properties?.FunctionName) ?? ''), logicalId).toBe(true);
    }
    const permissions = ofType('AWS::Lambda::Permission');
    expect(permissions.length).toBeGreaterThanOrEqual(4);
    for (const [logicalId, resource] of permissions) {
      expect(aliases.has(refOf(resource.Properties?.FunctionName) ?? ''), logicalId).toBe(true);
    }
    // Retries and the on-failure destination are the alias's: what the rules invoke.
    for (const [logicalId, resource] of ofType('AWS::Lambda::EventInvokeConfig')) {
      expect(resource.Properties?.Qualifier, logicalId).toBe(ALIAS);
    }
  });

  it("has the function alarms watch what the alias runs (Lambda's Resource dimension)", () => {
    const lambdaAlarms = ofType('AWS::CloudWatch::Alarm').filter(
      ([, resource]) => resource.Properties?.Namespace === 'AWS/Lambda',
    );

    expect(lambdaAlarms.length).toBeGreaterThanOrEqual(5);
    for (const [logicalId, { Properties }] of lambdaAlarms) {
      const [byName, byResource] = asList(Properties?.Dimensions).filter(isObject);
      const fn = refOf(byName?.Value);
      expect(byName?.Name, logicalId).toBe('FunctionName');
      expect(byResource, logicalId).toEqual({
        Name: 'Resource',
        Value: { 'Fn::Sub': `\${${fn}}:${ALIAS}` },
      });
    }
  });

  it('has the health check look for the alias on the root-usage rule', () => {
    const health = template.Resources.HealthCheckFunction?.Properties?.Environment;
    const variables = isObject(health) && isObject(health.Variables) ? health.Variables : {};

    expect(aliases.has(refOf(variables.MONITOR_FUNCTION_ARN) ?? '')).toBe(true);
    expect(aliases.has(refOf(variables.DIGEST_FUNCTION_ARN) ?? '')).toBe(true);
  });
});

describe('versions, not $LATEST: what publishes one', () => {
  const text = readFileSync(join(REPO_ROOT, 'template.yaml'), 'utf8');
  /** The version resource SAM makes of the real-time function, by logical ID. */
  const versionOf = (template: Template): string | undefined =>
    Object.entries(template.Resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::Lambda::Version' &&
        refOf(resource.Properties?.FunctionName) === 'RootMonitorFunction',
    )?.[0];
  const before = versionOf(transformedTemplate());

  it('publishes a new version when a property outside the code and environment changes', () => {
    const edited = text.replace(/^ {6}Timeout: 145$/m, '      Timeout: 144');

    expect(edited).not.toBe(text);
    expect(versionOf(transformedText(edited))).not.toBe(before);
  });
});
