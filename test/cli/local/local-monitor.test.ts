import { describe, expect, it } from 'vitest';
import { resourcesNamed } from '../../../src/cli/local/local-monitor.js';

const ALERTS = 'arn:aws:sns:eu-west-1:111122223333:alerts';
const ALARMS = 'arn:aws:sns:eu-west-1:111122223333:alarms';

describe('resourcesNamed', () => {
  it("takes the account and Region from the topics' ARNs, and each resource once", () => {
    const shared = {
      ALERT_TOPIC_ARN: ALERTS,
      FALLBACK_TOPIC_ARN: ALARMS,
      DEDUP_TABLE_NAME: 'dedup',
    };
    expect(
      resourcesNamed(
        {
          RootMonitorFunction: {
            ...shared,
            CONFIG_PARAMETER: '/monitor/config',
            FORENSICS_BUCKET: 'snapshots',
          },
          GuardFunction: { ...shared, CONFIG_PARAMETER: '/monitor/config' },
          DigestFunction: { ...shared, FORENSICS_BUCKET: '' },
        },
        'env.json',
      ),
    ).toEqual({
      accountId: '111122223333',
      region: 'eu-west-1',
      topicArns: [ALERTS, ALARMS],
      tables: ['dedup'],
      parameters: ['/monitor/config'],
      buckets: ['snapshots'],
    });
  });

  it('refuses topics in two accounts, naming the file, the functions and the variables', () => {
    expect(() =>
      resourcesNamed(
        {
          RootMonitorFunction: { ALERT_TOPIC_ARN: ALERTS },
          GuardFunction: { FALLBACK_TOPIC_ARN: 'arn:aws:sns:eu-west-1:444455556666:alarms' },
        },
        'env.json',
      ),
    ).toThrow(
      'env.json: GuardFunction.FALLBACK_TOPIC_ARN is in 444455556666 eu-west-1, env.json: RootMonitorFunction.ALERT_TOPIC_ARN in 111122223333 eu-west-1: the emulator runs one account in one Region',
    );
  });

  it('refuses a topic ARN that is not one, and settings without an alert topic', () => {
    expect(() =>
      resourcesNamed({ RootMonitorFunction: { ALERT_TOPIC_ARN: 'alerts' } }, 'env.json'),
    ).toThrow('env.json: RootMonitorFunction.ALERT_TOPIC_ARN is not an SNS topic ARN');
    expect(() =>
      resourcesNamed({ DigestFunction: { DEDUP_TABLE_NAME: 'dedup' } }, 'env.json'),
    ).toThrow('env.json: no ALERT_TOPIC_ARN for DigestFunction');
  });
});
