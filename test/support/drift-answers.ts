import type { ProxiedRequest } from './fault-proxy.js';
import type { HookedFaultProxy } from './moto-behind-fault-proxy.js';

/**
 * moto has no CloudFormation drift detection: DetectStackDrift, DescribeStackDriftDetectionStatus
 * and DescribeStackResourceDrifts are not implemented, and DescribeStacks carries no
 * DriftInformation. These answer them on the wire, in the Query protocol's XML, with the shapes
 * the CloudFormation API reference documents; every other request reaches moto.
 */

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

const escaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const element = (name: string, value: string | undefined): string =>
  value === undefined ? '' : `<${name}>${escaped(value)}</${name}>`;

const response = (operation: string, result: string) => ({
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body: `<${operation}Response xmlns="${NAMESPACE}"><${operation}Result>${result}</${operation}Result><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></${operation}Response>`,
});

/** A drifted resource as DescribeStackResourceDrifts lists it. */
export interface DriftedResource {
  logicalId: string;
  type: string;
  status: 'MODIFIED' | 'DELETED';
  differences?: {
    path: string;
    expected: string;
    actual: string;
    kind: 'NOT_EQUAL' | 'ADD' | 'REMOVE';
  }[];
}

export interface DriftScenario {
  /** What DescribeStackDriftDetectionStatus answers, call by call; the last one repeats. */
  detections?: ('DETECTION_IN_PROGRESS' | 'DETECTION_COMPLETE' | 'DETECTION_FAILED')[];
  /** The DetectionStatusReason of a failed detection. */
  reason?: string;
  /** What the last completed detection found, for DescribeStacks' DriftInformation. */
  last?: { status: 'DRIFTED' | 'IN_SYNC' | 'UNKNOWN' | 'NOT_CHECKED'; at?: Date };
  drifted?: DriftedResource[];
}

/** The requests the scenario answered, for a test to look at. */
export interface DriftRequests {
  detectStackDrift: ProxiedRequest[];
  resourceDrifts: ProxiedRequest[];
}

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/root-monitor/0a1b2c3d';

const driftedXml = (drifted: readonly DriftedResource[]): string =>
  drifted
    .map(
      ({ logicalId, type, status, differences = [] }) =>
        `<member>${element('StackId', STACK_ID)}${element('LogicalResourceId', logicalId)}${element('PhysicalResourceId', `${logicalId}-physical`)}${element('ResourceType', type)}<PropertyDifferences>${differences
          .map(
            ({ path, expected, actual, kind }) =>
              `<member>${element('PropertyPath', path)}${element('ExpectedValue', expected)}${element('ActualValue', actual)}${element('DifferenceType', kind)}</member>`,
          )
          .join(
            '',
          )}</PropertyDifferences>${element('StackResourceDriftStatus', status)}${element('Timestamp', '2026-12-06T10:00:00.000Z')}</member>`,
    )
    .join('');

/** Makes the proxy answer drift detection as `scenario` says; returns what it was asked. */
export const answerDrift = (proxy: HookedFaultProxy, scenario: DriftScenario): DriftRequests => {
  const requests: DriftRequests = { detectStackDrift: [], resourceDrifts: [] };
  const detections = [...(scenario.detections ?? ['DETECTION_COMPLETE'])];
  proxy.setRule((request) => {
    if (request.service !== 'cloudformation') return undefined;
    switch (request.operation) {
      case 'DetectStackDrift':
        requests.detectStackDrift.push(request);
        return response(
          'DetectStackDrift',
          element('StackDriftDetectionId', `detection-${requests.detectStackDrift.length}`),
        );
      case 'DescribeStackDriftDetectionStatus': {
        const status = detections.length > 1 ? (detections.shift() ?? '') : (detections[0] ?? '');
        const drifted = scenario.drifted ?? [];
        return response(
          'DescribeStackDriftDetectionStatus',
          `${element('StackId', STACK_ID)}${element('StackDriftDetectionId', new URLSearchParams(request.body).get('StackDriftDetectionId') ?? '')}${status === 'DETECTION_IN_PROGRESS' ? '' : element('StackDriftStatus', drifted.length > 0 ? 'DRIFTED' : 'IN_SYNC')}${element('DetectionStatus', status)}${status === 'DETECTION_FAILED' ? element('DetectionStatusReason', scenario.reason ?? '') : ''}${status === 'DETECTION_COMPLETE' ? element('DriftedStackResourceCount', String(drifted.length)) : ''}${element('Timestamp', '2026-12-06T10:00:00.000Z')}`,
        );
      }
      case 'DescribeStackResourceDrifts':
        requests.resourceDrifts.push(request);
        return response(
          'DescribeStackResourceDrifts',
          `<StackResourceDrifts>${driftedXml(scenario.drifted ?? [])}</StackResourceDrifts>`,
        );
      default:
        return undefined;
    }
  });
  proxy.setRewrite((request, body) => {
    if (request.operation !== 'DescribeStacks' || scenario.last === undefined) return undefined;
    const { status, at } = scenario.last;
    return body.replace(
      /(<StackId>[^<]*<\/StackId>)/,
      `$1<DriftInformation>${element('StackDriftStatus', status)}${element('LastCheckTimestamp', at?.toISOString())}</DriftInformation>`,
    );
  });
  return requests;
};
