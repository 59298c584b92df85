import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { BOUNDED_CALLS } from '../../src/aws/bounded-calls.js';
import type { FaultProxy } from './fault-proxy.js';

/**
 * The function's SDK clients as the Lambda builds them (BOUNDED_CALLS: three attempts, a
 * timeout that throws), but reaching moto through the fault proxy, with backoff scaled down so
 * that a throttle costs little in a test; a test of stalls scales `requestTimeout` down too. A
 * busy moto can take a second to answer a publish: a shorter timeout there retries a publish
 * SNS already accepted. The SDK's own retry decisions (which errors are retried, its retry
 * quota) are unchanged.
 */
export const clientsThrough = (
  proxy: Pick<FaultProxy, 'endpoint'>,
  {
    requestTimeout = 2_000,
    maxAttempts = BOUNDED_CALLS.maxAttempts,
  }: { requestTimeout?: number; maxAttempts?: number } = {},
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
    eventBridge: new EventBridgeClient(config()),
  };
};
