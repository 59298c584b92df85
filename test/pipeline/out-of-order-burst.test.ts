import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import type { InvocationResult } from '../../src/pipeline/results.js';
import {
  deployMonitor,
  envelope,
  invocationWith,
  scheduledEvent,
} from '../support/monitor-stack.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

/**
 * moto's conditional writes are not atomic between concurrent requests; the fault proxy, with no
 * fault set, serialises DynamoDB's as DynamoDB itself orders them.
 */
const proxy = useFaultProxy();

const SESSIONS = 20;
const CALLS_PER_SESSION = 8;
const CONCURRENT_INVOCATIONS = 16;
/** Lambda runs an asynchronous invocation that failed up to twice more. */
const LAMBDA_RETRIES = 2;

const INVOCATION = invocationWith(125_000);

/**
 * Console sessions as root, one address each, read-only calls 20 s apart, an hour and a half
 * ago: their windows have closed, so a digest pass sends every digest.
 */
const sessions = () => {
  const start = Date.now() - 90 * 60_000;
  return Array.from({ length: SESSIONS }, (_, session) =>
    Array.from({ length: CALLS_PER_SESSION }, (_, call) =>
      envelope(
        rootRecord({
          eventID: randomUUID(),
          eventTime: `${new Date(start + session * 10_000 + call * 20_000).toISOString().slice(0, 19)}Z`,
          eventSource: 'ec2.amazonaws.com',
          eventName: call % 2 === 0 ? 'DescribeInstances' : 'DescribeVolumes',
          readOnly: true,
          sourceIPAddress: `203.0.113.${session + 1}`,
        }),
      ),
    ),
  );
};

/** A seeded shuffle: CloudTrail, EventBridge and concurrent claims order a burst at will. */
const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  let state = seed;
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

type Handler = (event: unknown, context: Context) => Promise<InvocationResult>;

/** A Lambda execution environment: the function's real handler module, loaded afresh. */
const coldStart = async (): Promise<Handler> => {
  vi.resetModules();
  return (await import('../../src/functions/real-time.js')).handler as unknown as Handler;
};

describe('A burst of console sessions, shuffled, through the real handler with 16 concurrent invocations (moto)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('alerts each session once, and the digests report every other call', async () => {
    const { inbox, settings, container } = await deployMonitor();
    vi.stubEnv('AWS_ENDPOINT_URL', proxy.endpoint);
    vi.stubEnv('ALERT_TOPIC_ARN', settings.topicArn);
    vi.stubEnv('DEDUP_TABLE_NAME', settings.dedupTableName);
    vi.stubEnv('CONFIG_PARAMETER', settings.configParameter);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const queue = shuffled(sessions().flat(), 17).map((event) => ({ event, attempts: 0 }));
    const failedForGood: unknown[] = [];
    const context = { ...INVOCATION, functionName: 'root-monitor', awsRequestId: 'burst' };

    // Each worker is one execution environment taking the next delivery; one that throws goes
    // back to the queue for Lambda's retry, and past the retries it would be parked.
    const worker = async () => {
      const handler = await coldStart();
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        try {
          await handler(next.event, context as unknown as Context);
        } catch (error) {
          next.attempts++;
          if (next.attempts > LAMBDA_RETRIES) failedForGood.push(error);
          else queue.push(next);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_INVOCATIONS }, worker));

    expect(failedForGood).toEqual([]);
    const alerts = await inbox.receiveAll();
    expect(alerts).toHaveLength(SESSIONS);
    // One per session: each names its own address.
    expect(new Set(alerts.map((alert) => /203\.0\.113\.\d+/.exec(alert.message)?.[0])).size).toBe(
      SESSIONS,
    );

    const result = await container().digests.handle(scheduledEvent(), INVOCATION);

    expect(result).toMatchObject({ decision: 'digests', unsent: 0 });
    const digests = result.decision === 'digests' ? result.results : [];
    expect(digests).toHaveLength(SESSIONS);
    expect(
      digests.reduce((sum, digest) => sum + (digest.decision === 'digest' ? digest.events : 0), 0),
    ).toBe(SESSIONS * (CALLS_PER_SESSION - 1));
    expect(await inbox.receiveAll()).toHaveLength(SESSIONS);
  }, 120_000);
});
