import { describe, expect, it } from 'vitest';
import { ALL_METRICS } from '../../src/metrics/metric-definitions.js';
import { environmentOf, loadTemplate, resourceOf } from './cloudformation-template.js';

const template = loadTemplate('template.yaml');
const STACK = 'stack-under-test';

/** Fills the body's `${...}` references as CloudFormation would, with recognisable values. */
const substituted = (body: string): string =>
  body.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'AWS::StackName') return STACK;
    if (name === 'AWS::Region') return 'us-east-1';
    if (name === 'ConfigMaxAgeSeconds') return '60';
    return `<${name}>`;
  });

const dashboardBody = (): string => {
  const body = resourceOf(template, 'Dashboard').Properties?.DashboardBody;
  const sub =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? body['Fn::Sub'] : undefined;
  if (typeof sub !== 'string') throw new Error('DashboardBody must be one !Sub string');
  return sub;
};

interface Widget {
  type: string;
  properties: { title: string; metrics?: unknown[][]; alarms?: string[] };
}

/** A metric the dashboard reads: namespace, name and the dimension names it selects. */
interface Reference {
  widget: string;
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** `SEARCH('{Namespace,dim,dim} MetricName="X"', ...)` names its namespace and dimension names. */
const searchReference = (widget: string, expression: string): Reference => {
  const match = /^SEARCH\('\{([^}]+)\} MetricName="([^"]+)"'/.exec(expression);
  if (match === null) throw new Error(`${widget}: unrecognised expression ${expression}`);
  const [namespace = '', ...keys] = (match[1] ?? '').split(',');
  return {
    widget,
    namespace,
    name: match[2] ?? '',
    dimensions: Object.fromEntries(keys.map((key) => [key, '*'])),
  };
};

const references = (widgets: readonly Widget[]): Reference[] =>
  widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((entry): Reference => {
      const [first] = entry;
      if (typeof first === 'object' && first !== null && 'expression' in first) {
        return searchReference(widget.properties.title, String(first.expression));
      }
      const [namespace, name, ...rest] = entry.filter((part) => typeof part === 'string');
      const dimensions: Record<string, string> = {};
      for (let index = 0; index + 1 < rest.length; index += 2) {
        dimensions[String(rest[index])] = String(rest[index + 1]);
      }
      return {
        widget: widget.properties.title,
        namespace: String(namespace),
        name: String(name),
        dimensions,
      };
    }),
  );

describe('the dashboard', () => {
  const widgets = (JSON.parse(substituted(dashboardBody())) as { widgets: Widget[] }).widgets;
  const environment = environmentOf(resourceOf(template, 'RootMonitorFunction'));

  it('reads the namespace and service the function writes its metrics under', () => {
    expect(environment.POWERTOOLS_METRICS_NAMESPACE).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      'Fn::Sub': 'RootMonitor/${AWS::StackName}',
    });
    const own = references(widgets).filter((reference) =>
      reference.namespace.startsWith('RootMonitor'),
    );
    expect(own.length).toBeGreaterThan(0);
    for (const reference of own) {
      expect(reference.namespace).toBe(`RootMonitor/${STACK}`);
      expect(['*', environment.POWERTOOLS_SERVICE_NAME]).toContain(reference.dimensions.service);
    }
  });

  it('charts only metrics the function writes, under dimension sets it writes them with', () => {
    const own = references(widgets).filter((reference) =>
      reference.namespace.startsWith('RootMonitor'),
    );

    for (const reference of own) {
      const listed = ALL_METRICS.find((metric) => metric.name === reference.name);
      expect(
        listed,
        `${reference.widget}: ${reference.name} is not in src/metrics/metric-definitions.ts`,
      ).toBeDefined();
      const { service: _, ...selected } = reference.dimensions;
      expect(listed?.dimensionSets, `${reference.widget}: ${reference.name}`).toContainEqual(
        Object.keys(selected),
      );
    }
  });

  it("reads AWS's own metrics only of the stack's function and queues", () => {
    const theirs = references(widgets).filter((reference) =>
      reference.namespace.startsWith('AWS/'),
    );

    expect(new Set(theirs.map(({ namespace, name }) => `${namespace} ${name}`))).toEqual(
      new Set([
        'AWS/SQS ApproximateNumberOfMessagesVisible',
        'AWS/Lambda Errors',
        'AWS/Lambda Throttles',
        'AWS/Lambda Invocations',
        'AWS/Lambda Duration',
      ]),
    );
    expect(new Set(theirs.flatMap(({ dimensions }) => Object.values(dimensions)))).toEqual(
      new Set([
        '<RootMonitorFunction>',
        '<OnFailureQueue.QueueName>',
        '<RuleDeadLetterQueue.QueueName>',
      ]),
    );
  });

  it("shows the state of every alarm of the stack, the configuration's among them", () => {
    const alarms = widgets.flatMap((widget) => widget.properties.alarms ?? []);
    // An alarm under a Condition (the optional backstop's) may not exist, and a dashboard body
    // cannot name a resource that might not: those are left out.
    const stackAlarms = Object.entries(template.Resources)
      .filter(
        ([, resource]) =>
          resource.Type === 'AWS::CloudWatch::Alarm' &&
          (resource as { Condition?: string }).Condition === undefined,
      )
      .map(([id]) => `<${id}.Arn>`);

    expect(new Set(alarms)).toEqual(new Set(stackAlarms));
    expect(alarms).toContain('<ConfigurationAlarm.Arn>');
  });

  it('has the widgets an operator looks for', () => {
    expect(widgets.map((widget) => widget.properties.title)).toEqual([
      'Root usage by rule (events, top rule of each)',
      'Root usage by account (events)',
      'Alerted vs allowlisted (events)',
      'Detection latency: eventTime to alert published (seconds)',
      'Parked: events that never became an alert (messages)',
      'Function errors and throttles',
      'Function duration (ms)',
      'Configuration: age (seconds) and fail-closed invocations',
      'Health checks (1 = failing)',
      'Unexpected input: invocations given what their trigger never sends, by function and shape',
      'Alarms',
    ]);
  });
});

describe('the configuration alarm', () => {
  it('watches the fail-closed metric the function writes, under its service-only dimension set', () => {
    const alarm = resourceOf(template, 'ConfigurationAlarm').Properties;
    const listed = ALL_METRICS.find((metric) => metric.name === alarm?.MetricName);

    expect(alarm).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      Namespace: { 'Fn::Sub': 'RootMonitor/${AWS::StackName}' },
      MetricName: 'ConfigFailedClosed',
      Dimensions: [{ Name: 'service', Value: 'root-monitor' }],
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
    expect(listed?.dimensionSets).toContainEqual([]);
  });
});

describe('the untrusted dedup window alarm', () => {
  it('watches the metric the function writes when it replaces a window no claim wrote, on the alarm topic', () => {
    const alarm = resourceOf(template, 'UntrustedDedupWindowAlarm').Properties;
    const listed = ALL_METRICS.find((metric) => metric.name === alarm?.MetricName);

    expect(alarm).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      Namespace: { 'Fn::Sub': 'RootMonitor/${AWS::StackName}' },
      MetricName: 'UntrustedDedupWindow',
      Dimensions: [{ Name: 'service', Value: 'root-monitor' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
    expect(listed?.dimensionSets).toContainEqual([]);
  });
});
