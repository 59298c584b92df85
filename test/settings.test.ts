import { describe, expect, it } from 'vitest';
import {
  monitorResourcesOf,
  readAlertingSettings,
  readSettings,
  SettingsError,
} from '../src/settings.js';
import { REQUIRED_SETTINGS } from './support/required-settings.js';

describe('readSettings', () => {
  it.each(Object.keys(REQUIRED_SETTINGS))('fails naming %s when it is missing or blank', (name) => {
    expect(() => readSettings({ ...REQUIRED_SETTINGS, [name]: undefined })).toThrow(
      new RegExp(`^Missing required environment variable ${name} `),
    );
    expect(() => readSettings({ ...REQUIRED_SETTINGS, [name]: '  ' })).toThrow(SettingsError);
  });

  it('defaults the cache to 60 s and leaves forensics off', () => {
    expect(readSettings(REQUIRED_SETTINGS)).toMatchObject({
      configMaxAgeSeconds: 60,
      forensicsBucket: undefined,
    });
  });

  it('reads the fallback topic, which is also one of the monitor resources', () => {
    const settings = readSettings({
      ...REQUIRED_SETTINGS,
      FALLBACK_TOPIC_ARN: ' arn:aws:sns:us-east-1:111122223333:alarms ',
    });

    expect(settings.fallbackTopicArn).toBe('arn:aws:sns:us-east-1:111122223333:alarms');
    expect(settings.monitor.fallbackTopicArn).toBe('arn:aws:sns:us-east-1:111122223333:alarms');
    expect(readSettings(REQUIRED_SETTINGS).fallbackTopicArn).toBeUndefined();
  });

  it('announces a stale configuration after 15 minutes unless told otherwise', () => {
    expect(readSettings(REQUIRED_SETTINGS).configStaleAlarmSeconds).toBe(900);
    expect(
      readSettings({ ...REQUIRED_SETTINGS, CONFIG_STALE_ALARM_SECONDS: ' 300 ' })
        .configStaleAlarmSeconds,
    ).toBe(300);
    expect(() => readSettings({ ...REQUIRED_SETTINGS, CONFIG_STALE_ALARM_SECONDS: '15m' })).toThrow(
      'CONFIG_STALE_ALARM_SECONDS must be a whole number of seconds, got "15m"',
    );
  });

  it('files Security Hub findings only when SECURITY_HUB_FINDINGS is true', () => {
    expect(readSettings(REQUIRED_SETTINGS).securityHubFindings).toBe(false);
    expect(
      readSettings({ ...REQUIRED_SETTINGS, SECURITY_HUB_FINDINGS: 'false' }).securityHubFindings,
    ).toBe(false);
    expect(
      readSettings({ ...REQUIRED_SETTINGS, SECURITY_HUB_FINDINGS: ' true ' }).securityHubFindings,
    ).toBe(true);
    expect(() => readSettings({ ...REQUIRED_SETTINGS, SECURITY_HUB_FINDINGS: 'yes' })).toThrow(
      'SECURITY_HUB_FINDINGS must be true or false, got "yes"',
    );
  });

  it('puts alerts and digests on the default event bus unless ALERT_EVENTS is false', () => {
    expect(readSettings(REQUIRED_SETTINGS).alertEventBus).toBe('default');
    expect(readAlertingSettings(REQUIRED_SETTINGS).alertEventBus).toBe('default');
    expect(readSettings({ ...REQUIRED_SETTINGS, ALERT_EVENTS: ' true ' }).alertEventBus).toBe(
      'default',
    );
    expect(
      readSettings({ ...REQUIRED_SETTINGS, ALERT_EVENTS: 'false' }).alertEventBus,
    ).toBeUndefined();
    expect(
      readAlertingSettings({ ...REQUIRED_SETTINGS, ALERT_EVENTS: 'false' }).alertEventBus,
    ).toBeUndefined();
    expect(() => readSettings({ ...REQUIRED_SETTINGS, ALERT_EVENTS: 'off' })).toThrow(
      'ALERT_EVENTS must be true or false, got "off"',
    );
  });

  it('refuses a cache age that is not a whole number of seconds, naming the variable', () => {
    expect(() => readSettings({ ...REQUIRED_SETTINGS, CONFIG_MAX_AGE_SECONDS: '1m' })).toThrow(
      'CONFIG_MAX_AGE_SECONDS must be a whole number of seconds, got "1m"',
    );
  });

  it("names the monitor's own resources for the audit-tampering rule", () => {
    expect(
      readSettings({ ...REQUIRED_SETTINGS, AWS_LAMBDA_FUNCTION_NAME: 'root-monitor' }).monitor,
    ).toEqual({
      configParameter: '/root-monitor/config',
      topicArn: REQUIRED_SETTINGS.ALERT_TOPIC_ARN,
      dedupTableName: 'dedup',
      functionNames: ['root-monitor'],
    });
  });

  it("names the alert key and the functions' roles when given, so cutting any is tampering", () => {
    const monitor = readSettings({
      ...REQUIRED_SETTINGS,
      ALERT_KEY_ARN:
        ' arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab ',
      MONITOR_ROLE_ARNS:
        'arn:aws:iam::111122223333:role/root-monitor-RootMonitorRole-1A2B3C, arn:aws:iam::111122223333:role/service-role/root-monitor-HealthCheckRole-4D5E6F',
    }).monitor;

    expect(monitor).toMatchObject({
      alertKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      roleArns: [
        'arn:aws:iam::111122223333:role/root-monitor-RootMonitorRole-1A2B3C',
        'arn:aws:iam::111122223333:role/service-role/root-monitor-HealthCheckRole-4D5E6F',
      ],
    });
  });

  it('names every function of the monitor: the one running and those listed, each once', () => {
    const monitor = readSettings({
      ...REQUIRED_SETTINGS,
      AWS_LAMBDA_FUNCTION_NAME: 'root-monitor',
      MONITOR_FUNCTION_NAMES: 'root-monitor,root-monitor-trail-files, root-monitor-health-check',
    }).monitor;

    expect(monitor.functionNames).toEqual([
      'root-monitor',
      'root-monitor-trail-files',
      'root-monitor-health-check',
    ]);
    expect(
      readSettings({ ...REQUIRED_SETTINGS, MONITOR_FUNCTION_NAMES: 'root-monitor-health-check' })
        .monitor.functionNames,
    ).toEqual(['root-monitor-health-check']);
  });

  it('drops the blank entries a template condition leaves in a list', () => {
    const monitor = readSettings({
      ...REQUIRED_SETTINGS,
      MONITOR_FUNCTION_NAMES: 'root-monitor,,root-monitor-health-check, ',
      MONITOR_ROLE_ARNS: ',arn:aws:iam::111122223333:role/root-monitor-HealthCheckRole-4D5E6F',
    }).monitor;

    expect(monitor.functionNames).toEqual(['root-monitor', 'root-monitor-health-check']);
    expect(monitor.roleArns).toEqual([
      'arn:aws:iam::111122223333:role/root-monitor-HealthCheckRole-4D5E6F',
    ]);
    expect(readSettings({ ...REQUIRED_SETTINGS, MONITOR_ROLE_ARNS: ' , ' }).monitor.roleArns).toBe(
      undefined,
    );
  });

  it.each([
    [
      'MONITOR_ROLE_ARNS',
      'arn:aws:iam::111122223333:role/root-monitor-RootMonitorRole-1A2B3C,arn:aws:lambda:us-east-1:111122223333:function:root-monitor',
      'arn:aws:lambda:us-east-1:111122223333:function:root-monitor',
      'an IAM role name or ARN',
    ],
    [
      'MONITOR_ROLE_ARNS',
      'arn:aws:iam::111122223333:user/alice',
      'arn:aws:iam::111122223333:user/alice',
      'an IAM role name or ARN',
    ],
    [
      'MONITOR_FUNCTION_NAMES',
      'root-monitor;root-monitor-health-check',
      'root-monitor;root-monitor-health-check',
      'a Lambda function name or ARN',
    ],
    [
      'MONITOR_FUNCTION_NAMES',
      'root-monitor,arn:aws:iam::111122223333:role/root-monitor-RootMonitorRole-1A2B3C',
      'arn:aws:iam::111122223333:role/root-monitor-RootMonitorRole-1A2B3C',
      'a Lambda function name or ARN',
    ],
    [
      'MONITOR_QUEUE_ARNS',
      'arn:aws:sns:us-east-1:111122223333:alerts',
      'arn:aws:sns:us-east-1:111122223333:alerts',
      'an SQS queue ARN or URL',
    ],
  ])(
    'refuses a %s entry that names no such resource, naming the variable and the entry',
    (name, value, entry, what) => {
      expect(() => readSettings({ ...REQUIRED_SETTINGS, [name]: value })).toThrow(
        new SettingsError(
          `${name} lists ${JSON.stringify(entry)}, which is not ${what}; give a comma-separated list of them`,
        ),
      );
    },
  );

  it('accepts every form the template and people give: names, ARNs with paths, partial ARNs, URLs', () => {
    const functionNames = [
      'root-monitor',
      '111122223333:function:root-monitor-trail-files',
      'arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:root-monitor-health-check:live',
    ];
    const roleArns = [
      'root-monitor-role',
      'arn:aws:iam::111122223333:role/service-role/monitoring/root-monitor',
    ];
    const queueArns = [
      'arn:aws:sqs:us-east-1:111122223333:on-failure',
      'https://sqs.us-east-1.amazonaws.com/111122223333/dlq',
    ];

    const { monitor } = readSettings({
      ...REQUIRED_SETTINGS,
      MONITOR_FUNCTION_NAMES: functionNames.join(','),
      MONITOR_ROLE_ARNS: roleArns.join(','),
      MONITOR_QUEUE_ARNS: queueArns.join(','),
    });

    // Each entry is kept as given: the tampering rules read a resource out of any of these forms.
    expect(monitor).toMatchObject({ functionNames, roleArns, queueArns });
  });

  it('reads the queues of undelivered alerts as a comma-separated list, blanks dropped', () => {
    const monitor = readSettings({
      ...REQUIRED_SETTINGS,
      MONITOR_QUEUE_ARNS:
        ' arn:aws:sqs:us-east-1:111122223333:on-failure , ,arn:aws:sqs:us-east-1:111122223333:dlq,',
    }).monitor;

    expect(monitor.queueArns).toEqual([
      'arn:aws:sqs:us-east-1:111122223333:on-failure',
      'arn:aws:sqs:us-east-1:111122223333:dlq',
    ]);
    expect(
      readSettings({ ...REQUIRED_SETTINGS, MONITOR_QUEUE_ARNS: ' , ' }).monitor.queueArns,
    ).toBe(undefined);
  });

  it.each([
    ['ALERT_KEY_ARN', 'alertKeyArn'],
    ['MONITOR_ROLE_ARNS', 'roleArns'],
    ['MONITOR_FUNCTION_NAMES', 'functionNames'],
    ['MONITOR_QUEUE_ARNS', 'queueArns'],
  ] as const)('leaves %s out when it is blank, as when it is missing', (name, field) => {
    for (const value of [undefined, '', '   ']) {
      expect(readSettings({ ...REQUIRED_SETTINGS, [name]: value }).monitor[field]).toBeUndefined();
    }
  });
});

describe('monitorResourcesOf', () => {
  const deployed = {
    CONFIG_PARAMETER: ' /root-monitor/ ',
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
    FALLBACK_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alarms',
    DEDUP_TABLE_NAME: 'dedup',
    AWS_LAMBDA_FUNCTION_NAME: 'root-monitor',
    ALERT_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    MONITOR_FUNCTION_NAMES: 'root-monitor,root-monitor-health-check',
    MONITOR_ROLE_ARNS: 'arn:aws:iam::111122223333:role/root-monitor-RootMonitorRole-1A2B3C',
    MONITOR_QUEUE_ARNS: 'arn:aws:sqs:us-east-1:111122223333:on-failure',
    MONITOR_RULE_NAMES:
      'root-monitor-root-usage, arn:aws:events:us-east-1:111122223333:rule/root-monitor-guard-lambda',
    MONITOR_STACK_NAME: 'root-monitor',
    MONITOR_LOG_GROUP_NAMES: '/aws/lambda/root-monitor',
    MONITOR_ALARM_NAMES: 'root-monitor-root-account-usage,root-monitor-untrusted-dedup-window',
  };

  it('refuses a rule list entry that cannot name a rule, naming the variable and the entry', () => {
    expect(() =>
      monitorResourcesOf({ MONITOR_RULE_NAMES: 'root-monitor-root-usage,has space' }),
    ).toThrow('MONITOR_RULE_NAMES lists "has space", which is not an EventBridge rule name or ARN');
  });

  it('names every resource the environment gives, trimmed', () => {
    expect(monitorResourcesOf(deployed)).toEqual({
      configParameter: '/root-monitor/',
      topicArn: deployed.ALERT_TOPIC_ARN,
      fallbackTopicArn: deployed.FALLBACK_TOPIC_ARN,
      dedupTableName: 'dedup',
      functionNames: ['root-monitor', 'root-monitor-health-check'],
      alertKeyArn: deployed.ALERT_KEY_ARN,
      roleArns: [deployed.MONITOR_ROLE_ARNS],
      queueArns: [deployed.MONITOR_QUEUE_ARNS],
      ruleNames: [
        'root-monitor-root-usage',
        'arn:aws:events:us-east-1:111122223333:rule/root-monitor-guard-lambda',
      ],
      stackName: 'root-monitor',
      logGroupNames: ['/aws/lambda/root-monitor'],
      alarmNames: ['root-monitor-root-account-usage', 'root-monitor-untrusted-dedup-window'],
    });
  });

  it('requires none of them: a missing or blank variable names no resource', () => {
    const blank = Object.fromEntries(Object.keys(deployed).map((name) => [name, '  ']));

    for (const env of [{}, blank]) {
      expect(Object.values(monitorResourcesOf(env)).filter((value) => value !== undefined)).toEqual(
        [],
      );
    }
  });

  it('is what readSettings gives the engine, so the Lambda and replay agree', () => {
    expect(readSettings(deployed).monitor).toEqual(monitorResourcesOf(deployed));
  });
});
