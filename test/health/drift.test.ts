import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { MonitorStack } from '../../src/aws/health/monitor-stack.js';
import { DRIFT_STALE_AFTER_MS, driftCheck } from '../../src/health/drift.js';
import { answerDrift, type DriftScenario } from '../support/drift-answers.js';
import { deployTemplateResources } from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

// moto has no drift detection: the fault proxy answers DetectStackDrift,
// DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts, and adds DriftInformation to
// moto's DescribeStacks, as the CloudFormation API reference documents them (support/drift-answers.ts).
const proxy = useFaultProxy();

/** Doctor's way: start a detection and wait for it, here without spending the wait. */
const waiting = { sleep: async () => undefined, maxWaitMs: 30_000, pollMs: 5_000 };

const KEY_POLICY_DRIFT = {
  logicalId: 'AlertKey',
  type: 'AWS::KMS::Key',
  status: 'MODIFIED' as const,
  differences: [
    {
      path: '/KeyPolicy/Statement/2/Principal/Service',
      expected: 'cloudwatch.amazonaws.com',
      actual: 'nobody.example.com',
      kind: 'NOT_EQUAL' as const,
    },
  ],
};

/** The monitor's stack in moto (its rule), and the drift check on it through the proxy. */
const stackWith = async (scenario: DriftScenario, wait?: typeof waiting) => {
  const account = freshAccountId();
  const { stackName } = await deployTemplateResources(account, ['RuleDeadLetterQueue']);
  const requests = answerDrift(proxy, scenario);
  const client = inAccount(new CloudFormationClient({ endpoint: proxy.endpoint }), account);
  const check = driftCheck(new MonitorStack(client, stackName), { stackName, wait });
  return { check, requests, stackName };
};

describe('Check: drift, as doctor runs it (start a detection, wait for it)', () => {
  it('passes when the detection finishes with nothing modified or deleted', async () => {
    const { check } = await stackWith(
      {
        detections: ['DETECTION_IN_PROGRESS', 'DETECTION_IN_PROGRESS', 'DETECTION_COMPLETE'],
      },
      waiting,
    );

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict:
        'CloudFormation finds no resource of the stack modified or deleted (detection detection-1, just now)',
    });
  });

  it('fails naming each drifted resource and property, having asked only for modified and deleted ones', async () => {
    const { check, requests, stackName } = await stackWith(
      {
        drifted: [
          KEY_POLICY_DRIFT,
          { logicalId: 'RootUsageRule', type: 'AWS::Events::Rule', status: 'DELETED' },
        ],
      },
      waiting,
    );

    const finding = await check.run(new Date());

    expect(finding).toEqual({
      ok: false,
      verdict:
        'the stack has drifted from its template (detection detection-1, just now): AlertKey (AWS::KMS::Key) MODIFIED: /KeyPolicy/Statement/2/Principal/Service is nobody.example.com, not cloudwatch.amazonaws.com; RootUsageRule (AWS::Events::Rule) DELETED',
      fix: expect.stringContaining(
        `aws cloudformation describe-stack-resource-drifts --stack-name ${stackName} --stack-resource-drift-status-filters MODIFIED DELETED`,
      ),
    });
    const filters = new URLSearchParams(requests.resourceDrifts[0]?.body);
    expect([
      filters.get('StackResourceDriftStatusFilters.member.1'),
      filters.get('StackResourceDriftStatusFilters.member.2'),
    ]).toEqual(['MODIFIED', 'DELETED']);
  });

  it("fails with CloudFormation's reason when the detection could not read every resource", async () => {
    const { check } = await stackWith(
      {
        detections: ['DETECTION_FAILED'],
        reason:
          'Failed to detect drift on resource [AlertKey]: AccessDenied kms:GetKeyRotationStatus',
      },
      waiting,
    );

    expect(await check.run(new Date())).toMatchObject({
      ok: false,
      verdict:
        'drift detection could not check every resource of the stack: Failed to detect drift on resource [AlertKey]: AccessDenied kms:GetKeyRotationStatus',
      fix: expect.stringContaining('let the caller read each resource it names'),
    });
  });

  it("reports the previous detection's result when the new one outlasts the wait", async () => {
    const at = new Date('2026-12-06T09:00:00.000Z');
    const { check } = await stackWith(
      {
        detections: ['DETECTION_IN_PROGRESS'],
        last: { status: 'DRIFTED', at },
        drifted: [KEY_POLICY_DRIFT],
      },
      waiting,
    );

    const finding = await check.run(new Date());

    expect(finding.ok).toBe(false);
    expect(finding.verdict).toContain(
      '(the previous detection, 2026-12-06T09:00:00.000Z: the one started now had not finished after 30 s)',
    );
  });
});

describe('Check: drift, as the hourly runs do it (read the last detection, start the next)', () => {
  it('passes on the first run, starting the detection the next run reads', async () => {
    const { check, requests } = await stackWith({ last: { status: 'NOT_CHECKED' } });

    expect(await check.run(new Date())).toEqual({
      ok: true,
      verdict:
        'no drift detection has completed on the stack yet; detection detection-1 started now, and the next run reads its result',
    });
    expect(requests.detectStackDrift).toHaveLength(1);
  });

  it('fails for what the last detection found, and starts the next one', async () => {
    const at = new Date();
    const { check, requests } = await stackWith({
      last: { status: 'DRIFTED', at },
      drifted: [KEY_POLICY_DRIFT],
    });

    const finding = await check.run(new Date(at.getTime() + 60_000));

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(
        /^the stack has drifted from its template \(detection of .+\): AlertKey \(AWS::KMS::Key\) MODIFIED/,
      ),
    });
    expect(requests.detectStackDrift).toHaveLength(1);
  });

  it('fails when no detection has completed for over a day: those each run starts do not finish', async () => {
    const at = new Date('2026-12-01T00:00:00.000Z');
    const { check } = await stackWith({ last: { status: 'IN_SYNC', at } });

    const finding = await check.run(new Date(at.getTime() + DRIFT_STALE_AFTER_MS + 1));

    expect(finding).toMatchObject({
      ok: false,
      verdict:
        'the last completed drift detection of the stack is from 2026-12-01T00:00:00.000Z: the ones each run starts do not complete',
    });
  });

  it('fails when the last detection could not check every resource', async () => {
    const at = new Date();
    const { check } = await stackWith({ last: { status: 'UNKNOWN', at } });

    expect((await check.run(at)).verdict).toContain('could not check every resource (UNKNOWN)');
  });
});
