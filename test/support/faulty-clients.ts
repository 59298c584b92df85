import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { BOUNDED_CALLS } from '../../src/aws/bounded-calls.js';
import type { FaultProxy } from './fault-proxy.js';

/**
 * The function's SDK clients as the Lambda builds them (BOUNDED_CALLS: three attempts, a
 * timeout that throws), but reaching moto through the fault proxy, with timeouts and backoff
 * scaled down so that a stall or a throttle costs a fraction of a second in a test. The
 * SDK's own retry decisions (which errors are retried, its retry quota) are unchanged.
 */
export const clientsThrough = (
  proxy: FaultProxy,
  { requestTimeout = 300, maxAttempts = BOUNDED_CALLS.maxAttempts } = {},
) => {
  const config = () => ({
    endpoint: proxy.endpoint,
    maxAttempts,
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 10),
    requestHandler: { connectionTimeout: 300, requestTimeout, throwOnRequestTimeout: true },
  });
  return {
    dynamodb: new DynamoDBClient(config()),
    sns: new SNSClient(config()),
    ssm: new SSMClient(config()),
  };
};
