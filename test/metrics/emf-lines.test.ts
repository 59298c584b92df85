import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_METRICS, METRICS } from '../../src/metrics/metric-definitions.js';
import { REPO_ROOT } from '../deploy/cloudformation-template.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';
import { createTopicInbox } from '../support/topic-inbox.js';

const run = promisify(execFile);
useMoto();

const NAMESPACE = 'RootMonitor/metrics-test';
const SERVICE = 'root-monitor';

/** One EMF document as the handler writes it: the `_aws` directive, dimensions and values. */
interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** The EMF lines among what the handler wrote (invoke carries its stdout to stderr). */
const emfLines = (stderr: string): EmfLine[] =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);

/** Each data point: metric name, its dimension sets without `service`, unit and value. */
const points = (lines: readonly EmfLine[]) =>
  lines.flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        unit: metric.Unit,
        dimensionSets: directive.Dimensions,
        value: line[metric.Name],
        dimensions: Object.fromEntries(
          directive.Dimensions.flat().map((key) => [key, line[key]]),
        ) as Record<string, unknown>,
      })),
    ),
  );

const sample = (name: string, eventId = randomUUID()): Record<string, unknown> => {
  const event = JSON.parse(readFileSync(join(REPO_ROOT, 'events', name), 'utf8'));
  event.detail.eventID = eventId;
  return event;
};

describe('metrics the handler writes (CloudWatch embedded metric format)', () => {
  let directory: string;
  let envVars: string;
  let invalidEnvVars: string;

  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 8);
    const inbox = await createTopicInbox('metrics');
    const table = await createDedupTable('metrics-dedup');
    const ssm = new SSMClient();
    const parameter = `/root-monitor-${suffix}/config`;
    const invalid = `/root-monitor-${suffix}/invalid`;
    await ssm.send(
      new PutParameterCommand({
        Name: parameter,
        Type: 'String',
        Value: readFileSync(join(REPO_ROOT, 'config/example.json'), 'utf8'),
      }),
    );
    await ssm.send(
      new PutParameterCommand({ Name: invalid, Type: 'String', Value: '{"version": 2}' }),
    );
    directory = mkdtempSync(join(tmpdir(), 'root-monitor-metrics-'));
    const settings = (configParameter: string) => ({
      RootMonitorFunction: {
        ALERT_TOPIC_ARN: inbox.topicArn,
        DEDUP_TABLE_NAME: table,
        CONFIG_PARAMETER: configParameter,
        POWERTOOLS_LOG_LEVEL: 'WARN',
        POWERTOOLS_SERVICE_NAME: SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: NAMESPACE,
      },
    });
    envVars = join(directory, 'env.json');
    writeFileSync(envVars, JSON.stringify(settings(parameter)));
    invalidEnvVars = join(directory, 'invalid-env.json');
    writeFileSync(invalidEnvVars, JSON.stringify(settings(invalid)));
  });

  const invoke = async (event: unknown, env = envVars) => {
    const path = join(directory, `${randomUUID()}.json`);
    writeFileSync(path, JSON.stringify(event));
    const { stdout, stderr } = await run(
      process.execPath,
      ['bin/root-monitor.js', 'invoke', '--event', path, '--env-vars', env],
      { cwd: REPO_ROOT, env: process.env },
    );
    return { result: JSON.parse(stdout), points: points(emfLines(stderr)) };
  };

  it('counts an alert by decision, by rule and severity, and by account, and times its detection', async () => {
    const event = sample('alert-access-key-created.json');
    const eventTime = Date.parse(String((event.detail as Record<string, unknown>).eventTime));

    const before = Date.now();
    const { result, points: written } = await invoke(event);
    const after = Date.now();

    expect(result).toMatchObject({ decision: 'alert' });
    expect(written.find((point) => point.name === 'EventsJudged')).toEqual({
      namespace: NAMESPACE,
      name: 'EventsJudged',
      unit: 'Count',
      value: 1,
      dimensionSets: [
        ['service', 'Decision'],
        ['service', 'Rule', 'Severity'],
        ['service', 'Account'],
      ],
      dimensions: {
        service: SERVICE,
        Decision: 'alert',
        Rule: 'root-access-key-created',
        Severity: 'CRITICAL',
        Account: '111122223333',
      },
    });
    const latency = written.find((point) => point.name === 'DetectionLatency');
    expect(latency).toMatchObject({ unit: 'Seconds', dimensionSets: [['service']] });
    expect(latency?.value).toBeGreaterThanOrEqual((before - eventTime) / 1000);
    expect(latency?.value).toBeLessThanOrEqual((after - eventTime) / 1000);
    const age = written.find((point) => point.name === 'ConfigAge');
    expect(age).toMatchObject({ unit: 'Seconds', dimensionSets: [['service']] });
    // Read moments ago, in this invocation.
    expect(age?.value).toBeGreaterThanOrEqual(0);
    expect(age?.value).toBeLessThan(after / 1000 - before / 1000 + 1);
  });

  it('counts an allowlisted event without a latency, and a repeat as a duplicate', async () => {
    const allowlisted = await invoke(sample('allowlisted-billing-task.json'));
    const event = sample('alert-stop-logging.json');
    await invoke(event);
    const repeat = await invoke(event);

    expect(allowlisted.points.map((point) => point.name).sort()).toEqual([
      'ConfigAge',
      'EventsJudged',
    ]);
    expect(allowlisted.points.find((point) => point.name === 'EventsJudged')?.dimensions).toEqual({
      service: SERVICE,
      Decision: 'allowlisted',
      Rule: 'root-activity',
      Severity: 'HIGH',
      Account: '111122223333',
    });
    expect(repeat.result).toMatchObject({ decision: 'duplicate' });
    expect(repeat.points.find((point) => point.name === 'EventsJudged')?.dimensions).toMatchObject({
      Decision: 'duplicate',
      Rule: 'root-audit-tampering',
    });
    expect(repeat.points.some((point) => point.name === 'DetectionLatency')).toBe(false);
  });

  it('counts an ignored event by decision alone, without reading the configuration', async () => {
    const { result, points: written } = await invoke(sample('ignored-iam-user.json'));

    expect(result).toMatchObject({ decision: 'ignored' });
    expect(written).toEqual([
      expect.objectContaining({
        name: 'EventsJudged',
        dimensionSets: [['service', 'Decision']],
        dimensions: { service: SERVICE, Decision: 'ignored' },
      }),
    ]);
  });

  it('publishes an account id that is not twelve digits as Unknown', async () => {
    const event = sample('alert-read-only-call.json');
    (event.detail as Record<string, unknown>).recipientAccountId = 'x'.repeat(300);

    const { points: written } = await invoke(event);

    expect(written.find((point) => point.name === 'EventsJudged')?.dimensions.Account).toBe(
      'Unknown',
    );
  });

  it('counts an invocation that judged root usage with nothing allowlisted, by reason', async () => {
    const { result, points: written } = await invoke(
      sample('allowlisted-billing-task.json'),
      invalidEnvVars,
    );

    expect(result).toMatchObject({ decision: 'alert' });
    expect(written.find((point) => point.name === 'ConfigFailedClosed')).toMatchObject({
      unit: 'Count',
      value: 1,
      dimensionSets: [['service', 'Reason'], ['service']],
      dimensions: { service: SERVICE, Reason: 'invalid' },
    });
  });

  it('writes only listed metrics, with their units and dimension sets', async () => {
    const runs = await Promise.all([
      invoke(sample('alert-console-login-failure.json')),
      invoke(sample('alert-minimal-test-payload.json')),
      invoke(sample('ignored-service-invoked.json')),
      invoke(sample('alert-console-login-with-mfa.json'), invalidEnvVars),
    ]);
    const written = runs.flatMap((each) => each.points);

    const { eventsJudged, detectionLatency, configAge, configFailedClosed } = METRICS;
    expect(new Set(written.map((point) => point.name))).toEqual(
      new Set(
        [eventsJudged, detectionLatency, configAge, configFailedClosed].map(({ name }) => name),
      ),
    );
    for (const point of written) {
      const listed = ALL_METRICS.find((metric) => metric.name === point.name);
      expect(point.namespace).toBe(NAMESPACE);
      expect(point.unit).toBe(listed?.unit);
      expect(typeof point.value).toBe('number');
      for (const set of point.dimensionSets) {
        expect(set[0]).toBe('service');
        expect(listed?.dimensionSets).toContainEqual(set.slice(1));
      }
      for (const value of Object.values(point.dimensions)) {
        expect(value).toEqual(expect.stringMatching(/^[\w.-]{1,64}$/));
      }
    }
  });
});
