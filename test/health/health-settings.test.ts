import { describe, expect, it } from 'vitest';
import { readHealthSettings } from '../../src/health/health-settings.js';

const env = (functionArn: string) => ({
  MONITOR_FUNCTION_ARN: functionArn,
  ROOT_USAGE_RULE_NAME: 'rule',
  ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts',
  MONITOR_QUEUE_ARNS: 'arn:aws:sqs:eu-west-1:111122223333:q',
  CONFIG_PARAMETER: '/c',
  DEDUP_TABLE_NAME: 'dedup',
  MONITOR_STACK_NAME: 'root-monitor',
});

describe('readHealthSettings', () => {
  it('takes the alias the root-usage rule invokes, and the Region and account from it', () => {
    const settings = readHealthSettings(
      env('arn:aws:lambda:eu-west-1:111122223333:function:root-monitor:live'),
    );

    expect(settings).toMatchObject({
      functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:root-monitor:live',
      homeRegion: 'eu-west-1',
      homeBusArn: 'arn:aws:events:eu-west-1:111122223333:event-bus/default',
    });
  });

  it('takes the function ARN itself too', () => {
    expect(
      readHealthSettings(env('arn:aws:lambda:eu-west-1:111122223333:function:root-monitor'))
        .homeRegion,
    ).toBe('eu-west-1');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => readHealthSettings(env('root-monitor'))).toThrow(
      'MONITOR_FUNCTION_ARN must be a Lambda function or alias ARN, got "root-monitor"',
    );
  });
});
