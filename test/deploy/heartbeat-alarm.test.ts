import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/metrics/metric-definitions.js';
import { loadTemplate, resourceOf } from './cloudformation-template.js';

const template = loadTemplate('template.yaml');

describe("the health check's heartbeat alarm", () => {
  const alarm = resourceOf(template, 'HealthCheckHeartbeatAlarm').Properties ?? {};

  it('hears silence: the metric every run writes, missing data breaching, two intervals in a row', () => {
    expect(alarm).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      Namespace: { 'Fn::Sub': 'RootMonitor/${AWS::StackName}' },
      MetricName: METRICS.healthCheckRun.name,
      // The service dimension Powertools adds to the metric's only, empty, dimension set.
      Dimensions: [{ Name: 'service', Value: 'root-monitor' }],
      Statistic: 'SampleCount',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
    expect(METRICS.healthCheckRun.dimensionSets).toEqual([[]]);
  });

  it("takes its period from the schedule's interval, for every interval the stack allows", () => {
    const allowed = (template.Parameters?.HealthCheckIntervalMinutes?.AllowedValues ??
      []) as number[];
    const periods = template.Mappings?.HealthCheckInterval ?? {};
    const schedule = resourceOf(template, 'HealthCheckFunction').Properties?.Events as Record<
      string,
      { Properties: { Schedule: unknown } }
    >;

    expect(alarm.Period).toEqual({
      'Fn::FindInMap': ['HealthCheckInterval', { Ref: 'HealthCheckIntervalMinutes' }, 'Seconds'],
    });
    expect(allowed.length).toBeGreaterThan(0);
    for (const minutes of allowed)
      expect(periods[String(minutes)]).toEqual({ Seconds: minutes * 60 });
    expect(Object.values(schedule).map(({ Properties }) => Properties.Schedule)).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      { 'Fn::Sub': 'rate(${HealthCheckIntervalMinutes} minutes)' },
    ]);
  });
});
