import { type Check, type Finding, fail, pass } from './check.js';
import type { DriftReads, ResourceDrift } from './ports.js';

/**
 * How old the last completed detection may be in the hourly runs, each of which starts the next:
 * a day and an hour, so that a daily schedule passes and detections that never complete do not.
 */
export const DRIFT_STALE_AFTER_MS = 25 * 60 * 60 * 1000;

/** Property values are JSON of any length: enough of each to see what changed. */
const VALUE_MAX_CHARS = 160;

const shortened = (value: string): string =>
  value.length <= VALUE_MAX_CHARS ? value : `${value.slice(0, VALUE_MAX_CHARS)}...`;

const described = ({ logicalId, type, status, differences }: ResourceDrift): string => {
  if (status !== 'MODIFIED' || differences.length === 0) return `${logicalId} (${type}) ${status}`;
  return `${logicalId} (${type}) ${status}: ${differences
    .map(({ path, expected, actual, kind }) =>
      kind === 'REMOVE'
        ? `${path} removed (was ${shortened(expected)})`
        : kind === 'ADD'
          ? `${path} added (${shortened(actual)})`
          : `${path} is ${shortened(actual)}, not ${shortened(expected)}`,
    )
    .join(', ')}`;
};

/** Waiting for a detection to finish, as doctor does; the hourly runs do not wait. */
export interface DriftWait {
  sleep(ms: number): Promise<void>;
  /** How long to wait at most; past it, the previous detection's result is reported. */
  maxWaitMs: number;
  pollMs: number;
}

const judged = (drifted: readonly ResourceDrift[], stackName: string, when: string): Finding =>
  drifted.length > 0
    ? fail(
        `the stack has drifted from its template (${when}): ${drifted.map(described).join('; ')}`,
        `put each back as the template declares it (the other checks' fixes give the commands for rules, subscriptions and keys), or change the template and deploy it if the change is wanted; aws cloudformation describe-stack-resource-drifts --stack-name ${stackName} --stack-resource-drift-status-filters MODIFIED DELETED lists every difference; then look in CloudTrail for who made it`,
      )
    : pass(`CloudFormation finds no resource of the stack modified or deleted (${when})`);

/**
 * `drift`: CloudFormation's own drift detection on the monitor's stack, which compares every
 * property the template declares of every resource type it supports with what is deployed. Any
 * resource modified or deleted fails, naming the resource and the property. Detection takes
 * minutes: doctor starts one and waits for it (up to `wait.maxWaitMs`); the hourly runs read the
 * result of the detection the previous run started, then start the next. It skips what the
 * template does not declare and the types it does not support: the other checks look there.
 */
export const driftCheck = (
  drift: DriftReads,
  { stackName, wait }: { stackName: string; wait?: DriftWait },
): Check => ({
  id: 'drift',
  actions: [
    'cloudformation:DetectStackDrift',
    'cloudformation:DetectStackResourceDrift',
    'cloudformation:DescribeStackDriftDetectionStatus',
    'cloudformation:DescribeStackResourceDrifts',
    'cloudformation:DescribeStacks',
    "read access to the stack's resources (drift detection reads them as the caller)",
  ],
  async run(now) {
    if (wait !== undefined) {
      const id = await drift.start();
      let detection = await drift.detection(id);
      for (
        let waited = 0;
        detection.status === 'DETECTION_IN_PROGRESS' && waited < wait.maxWaitMs;
        waited += wait.pollMs
      ) {
        await wait.sleep(wait.pollMs);
        detection = await drift.detection(id);
      }
      if (detection.status !== 'DETECTION_IN_PROGRESS') {
        const found = judged(await drift.drifted(), stackName, `detection ${id}, just now`);
        if (detection.status === 'DETECTION_FAILED') {
          return fail(
            `drift detection could not check every resource of the stack: ${detection.reason ?? 'no reason given'}${found.ok ? '' : `; ${found.verdict}`}`,
            `let the caller read each resource it names (drift detection reads them with the caller's permissions)${found.ok ? '' : `; ${found.fix}`}`,
          );
        }
        return found;
      }
      const last = await drift.last();
      const previous = judged(
        await drift.drifted(),
        stackName,
        `the previous detection${last.at === undefined ? '' : `, ${last.at.toISOString()}`}: the one started now had not finished after ${Math.round(wait.maxWaitMs / 1000)} s`,
      );
      return previous;
    }
    const last = await drift.last();
    const drifted = last.status === 'NOT_CHECKED' ? [] : await drift.drifted();
    // The next run reads what this one starts.
    const started = await drift.start();
    if (last.status === 'NOT_CHECKED' || last.at === undefined) {
      return pass(
        `no drift detection has completed on the stack yet; detection ${started} started now, and the next run reads its result`,
      );
    }
    const when = `detection of ${last.at.toISOString()}`;
    if (drifted.length === 0 && now.getTime() - last.at.getTime() > DRIFT_STALE_AFTER_MS) {
      return fail(
        `the last completed drift detection of the stack is from ${last.at.toISOString()}: the ones each run starts do not complete`,
        "run root-monitor doctor, which waits for a detection and names why it fails; let the health-check role read the stack's resources",
      );
    }
    if (drifted.length === 0 && last.status === 'UNKNOWN') {
      return fail(
        `the last drift detection of the stack (${last.at.toISOString()}) could not check every resource (UNKNOWN)`,
        'run root-monitor doctor, which waits for a detection and names the resources it could not read; let the health-check role read them',
      );
    }
    return judged(drifted, stackName, when);
  },
});
