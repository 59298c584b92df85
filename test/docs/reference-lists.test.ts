import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../rules/index.js';
import { CHECK_IDS } from '../../src/health/check.js';
import { ALL_METRICS } from '../../src/metrics/metric-definitions.js';
import { loadTemplate, type TemplateValue } from '../deploy/cloudformation-template.js';
import { pageText, section, tableRows, withoutCode } from './markdown.js';

/*
 * The reference pages list what the code and the template define. Each list here is read from
 * its source, so a rule, metric, check, setting or alarm added without its documentation fails.
 */

const template = loadTemplate('template.yaml');

/** The backticked name in a table cell: `` `root-activity` `` is root-activity. */
const code = (cell: string | undefined): string => /^`([^`]+)`/.exec(cell ?? '')?.[1] ?? '';

describe('docs/reference/rules.md', () => {
  const rows = tableRows(section(pageText('docs/reference/rules.md'), '## The rules'));

  it('has a row for every rule of the catalog, in catalog order', () => {
    expect(rows.map((row) => code(row[0]))).toEqual(CATALOG.map((rule) => rule.id));
  });

  it.each(CATALOG.map((rule) => [rule.id, rule] as const))(
    '%s: the severity and whether it is allowlistable, as the rule says',
    (id, rule) => {
      const row = rows.find((cells) => code(cells[0]) === id);

      expect(row?.[1]).toBe(rule.severity);
      expect(row?.[2]).toBe(rule.allowlistable ? 'yes' : 'no');
    },
  );
});

describe('docs/operating/metrics.md', () => {
  const rows = tableRows(pageText('docs/operating/metrics.md')).filter((row) =>
    /^(Count|Seconds)$/.test(row[1] ?? ''),
  );

  it('has a row for every metric the functions publish, and no other', () => {
    expect(rows.map((row) => code(row[0])).sort()).toEqual(
      ALL_METRICS.map((metric) => metric.name).sort(),
    );
  });

  it.each(ALL_METRICS.map((metric) => [metric.name, metric] as const))(
    '%s: its unit',
    (name, metric) => {
      expect(rows.find((row) => code(row[0]) === name)?.[1]).toBe(metric.unit);
    },
  );
});

describe('docs/operating/doctor.md', () => {
  it('has a row for every health check, in the order they run', () => {
    const rows = tableRows(pageText('docs/operating/doctor.md'));

    expect(rows.map((row) => code(row[0]))).toEqual([...CHECK_IDS]);
  });
});

/** Every variable the template sets on any function, with the names of the functions. */
const templateVariables = (): Map<string, string[]> => {
  const variables = new Map<string, string[]>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const environment = resource.Properties?.Environment as
      | { Variables?: Record<string, TemplateValue> }
      | undefined;
    for (const name of Object.keys(environment?.Variables ?? {})) {
      variables.set(name, [...(variables.get(name) ?? []), logicalId]);
    }
  }
  return variables;
};

describe('docs/reference/settings.md', () => {
  const variables = templateVariables();

  it('reads the variables of every function of the template', () => {
    expect(variables.size).toBeGreaterThan(20);
    expect(variables.get('CONFIG_PARAMETER')).toContain('RootMonitorFunction');
  });

  it.each([...variables.keys()])('names %s, which the template sets', (name) => {
    expect(withoutCode(pageText('docs/reference/settings.md'))).toContain(`\`${name}\``);
  });
});

/** The alarm names of the template, with the stack's name as STACK: `STACK-function-errors`. */
const templateAlarms = (): string[] =>
  Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
    .map((resource) => {
      const name = resource.Properties?.AlarmName as { 'Fn::Sub'?: unknown } | undefined;
      const sub = name?.['Fn::Sub'];
      const suffix =
        typeof sub === 'string' ? /^\$\{AWS::StackName\}-(.+)$/.exec(sub)?.[1] : undefined;
      if (suffix === undefined) {
        throw new Error(`an alarm not named after the stack: ${JSON.stringify(name)}`);
      }
      return `STACK-${suffix}`;
    });

describe('docs/operating/alerts.md', () => {
  const alarms = templateAlarms();
  const rows = tableRows(section(pageText('docs/operating/alerts.md'), '## Alarms'));

  it('reads the alarms of the template', () => {
    expect(alarms).toContain('STACK-root-account-usage');
  });

  it('has a row for every alarm the template declares, saying what it means and what to do', () => {
    expect(rows.map((row) => code(row[0])).sort()).toEqual([...alarms].sort());
    for (const row of rows) {
      expect(row.length, code(row[0])).toBe(3);
      expect(row[1], code(row[0])).not.toBe('');
      expect(row[2], code(row[0])).not.toBe('');
    }
  });
});
