import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate, REPO_ROOT } from './cloudformation-template.js';

const template = loadTemplate('template.yaml');
const parameters = template.Parameters ?? {};

interface ParameterGroup {
  Label: { default: string };
  Parameters: string[];
}

const groups =
  (
    template.Metadata?.['AWS::CloudFormation::Interface'] as
      | { ParameterGroups?: ParameterGroup[] }
      | undefined
  )?.ParameterGroups ?? [];

describe("template.yaml's parameters, as a first deploy meets them", () => {
  it("are each in one group, and in the groups' order, which sam deploy --guided asks in", () => {
    expect(groups.flatMap((group) => group.Parameters)).toEqual(Object.keys(parameters));
  });

  it('ask only who is told first; every other group keeps its defaults or is optional', () => {
    expect(groups[0]?.Parameters).toEqual(['AlertEmail', 'MinimumSeverity']);
    for (const group of groups.slice(1)) {
      expect(group.Label.default).toMatch(/defaults suit a first deploy|^Optional: |leave empty/);
    }
    for (const name of groups.slice(1).flatMap((group) => group.Parameters)) {
      expect(parameters[name], name).toHaveProperty('Default');
    }
  });

  it.each(Object.keys(parameters))('%s says its format first', (name) => {
    expect(parameters[name]?.Description).toMatch(/^Format: /);
  });

  it('says what MinimumSeverity drops from the email', () => {
    expect(parameters.MinimumSeverity?.Description).toContain(
      'HIGH (the default) emails CRITICAL and HIGH alerts only: failed root sign-ins (MEDIUM)',
    );
  });

  it('offers no value the health check would then report as failing (the rule state is fixed)', () => {
    expect(parameters).not.toHaveProperty('RootUsageRuleState');
    expect(JSON.stringify(parameters)).not.toMatch(/"ENABLED"/);
  });

  it('are each answered in the deploy checklist (docs/deploying/one-account.md), in the order sam deploy asks them', () => {
    const checklist = readFileSync(join(REPO_ROOT, 'docs', 'deploying', 'one-account.md'), 'utf8');
    const start = checklist.indexOf('\n## During\n');
    expect(start, 'the checklist has its During section').toBeGreaterThanOrEqual(0);
    const during = checklist.slice(start, checklist.indexOf('\n## After', start));
    const named = Object.keys(parameters).map((name) => during.indexOf(`\`${name}\``));

    expect(named.every((at) => at >= 0)).toBe(true);
    expect(named).toEqual([...named].sort((a, b) => a - b));
  });
});
