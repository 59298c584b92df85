/**
 * Every metric the monitor publishes, in one list. The code emits only what is listed here, and
 * the dashboard in template.yaml charts only what is listed here; tests hold both to it. To add a
 * metric, add it here first, with its unit and the dimension sets it is published under.
 *
 * Every dimension set also carries `service` (POWERTOOLS_SERVICE_NAME), which Powertools adds to
 * each one. Dimension values are bounded: ours (decisions, rule ids, severities) or checked (an
 * account id that is not twelve digits is published as `Unknown`). A value taken from the event
 * as written, such as its eventName, would let whoever makes the call create metrics at will.
 */

/** Namespace when POWERTOOLS_METRICS_NAMESPACE is unset; the template sets one per stack. */
export const DEFAULT_METRICS_NAMESPACE = 'RootMonitor';

/** The CloudWatch units these metrics use (the values of Powertools' `MetricUnit`). */
export type MetricUnitName = 'Count' | 'Seconds';

export interface MetricDefinition {
  readonly name: string;
  readonly unit: MetricUnitName;
  /** Each set the metric is published under, without the `service` every set carries. */
  readonly dimensionSets: readonly (readonly string[])[];
  /** What one data point means, for the metrics page in docs/ and the dashboard's readers. */
  readonly meaning: string;
}

export const METRICS = {
  eventsJudged: {
    name: 'EventsJudged',
    unit: 'Count',
    // Ignored events (not root usage) have no rule or account worth a metric: Decision only.
    dimensionSets: [['Decision'], ['Rule', 'Severity'], ['Account']],
    meaning:
      'one per event judged; Decision is alert, allowlisted, duplicate or ignored; Rule is the rule its alert leads with',
  },
  detectionLatency: {
    name: 'DetectionLatency',
    unit: 'Seconds',
    dimensionSets: [[]],
    meaning: "from the event's eventTime to SNS accepting its alert",
  },
  configAge: {
    name: 'ConfigAge',
    unit: 'Seconds',
    dimensionSets: [[]],
    meaning:
      'since the configuration in force was last read from SSM (a read answered from the cache of CONFIG_MAX_AGE_SECONDS counts); grows while SSM cannot be read',
  },
  configFailedClosed: {
    name: 'ConfigFailedClosed',
    unit: 'Count',
    // Also without Reason: the stack's configuration alarm watches one metric whatever the cause.
    dimensionSets: [['Reason'], []],
    meaning:
      'one per invocation that judged root usage with nothing allowlisted because the configuration is invalid or unreadable (Reason)',
  },
  unexpectedInput: {
    name: 'UnexpectedInput',
    unit: 'Count',
    // Also without them: the stack's alarm watches one metric whatever the function and shape.
    dimensionSets: [['Function', 'Shape'], []],
    meaning:
      'one per invocation given input its trigger never sends, a test or a tampered target: Function is the function (real-time, guard, digests, health-check, trail-files), Shape what it was given (cloudtrail-record, empty-object, ...)',
  },
  untrustedDedupWindow: {
    name: 'UntrustedDedupWindow',
    unit: 'Count',
    dimensionSets: [[]],
    meaning:
      'one per dedup window replaced because no claim could have written it (it opened in the future or closed later than any configured window): a forged write to the dedup table or a broken clock',
  },
  healthCheckFailed: {
    name: 'HealthCheckFailed',
    unit: 'Count',
    dimensionSets: [['Check']],
    meaning:
      'one per health check per scheduled run, Check being its id: 1 when it failed, 0 when it passed (written by the health-check function)',
  },
  healthCheckRun: {
    name: 'HealthCheckRun',
    unit: 'Count',
    dimensionSets: [[]],
    meaning:
      "one per health-check run that ran its checks, whatever they found: the checker's heartbeat, whose absence for two of its periods raises the heartbeat alarm",
  },
} as const satisfies Record<string, MetricDefinition>;

/** Every listed metric, for checks that go through them all. */
export const ALL_METRICS: readonly MetricDefinition[] = Object.values(METRICS);
