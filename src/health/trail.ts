import { type Check, fail, pass } from './check.js';
import type { TrailReads, TrailView } from './ports.js';

/**
 * CloudTrail delivers a log file about every 5 minutes while there is activity, and there always
 * is: a trail that records reads records these checks' own calls, hourly. Two hours without a
 * delivery means the trail has stopped reaching its bucket, and so, very likely, EventBridge.
 */
export const DELIVERY_MAX_AGE_MS = 2 * 60 * 60 * 1000;

const ago = (ms: number): string => {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
};

interface TrailProblem {
  what: string;
  fix: string;
}

const problemsOf = (trail: TrailView, now: Date): TrailProblem[] => {
  const problems: TrailProblem[] = [];
  const name = trail.arn;
  if (!trail.logging) {
    problems.push({
      what: 'is not logging',
      fix: `aws cloudtrail start-logging --name ${name}`,
    });
  }
  if (!trail.multiRegion) {
    problems.push({
      what: 'logs one Region only',
      fix: `aws cloudtrail update-trail --name ${name} --is-multi-region-trail`,
    });
  }
  const management = trail.management;
  if (typeof management === 'string') {
    problems.push({
      what: `its event selectors cannot be read (${management})`,
      fix: `let the caller use cloudtrail:GetEventSelectors on ${name}`,
    });
  } else {
    const missing = [management.reads ? [] : ['read'], management.writes ? [] : ['write']].flat();
    if (missing.length > 0) {
      problems.push({
        what: `does not record ${missing.join(' or ')} management events`,
        fix: `give ${name} an event selector for all management events (ReadWriteType All, or an advanced selector on eventCategory Management alone)`,
      });
    }
    if (management.filters.length > 0) {
      problems.push({
        what: `leaves management events out (${management.filters.join('; ')})`,
        fix: `remove the filter from ${name}'s event selectors: root activity in those services would go unseen`,
      });
    }
  }
  if (trail.logging) {
    const delivered = trail.latestDelivery;
    if (delivered === undefined || now.getTime() - delivered.getTime() > DELIVERY_MAX_AGE_MS) {
      const error =
        trail.latestDeliveryError === undefined ? '' : ` (${trail.latestDeliveryError})`;
      problems.push({
        what: `${delivered === undefined ? 'has never delivered a log file' : `last delivered ${ago(now.getTime() - delivered.getTime())} ago`}${error}`,
        fix: `check that ${name}'s S3 bucket policy and KMS key still let CloudTrail write`,
      });
    }
  }
  return problems;
};

const described = (trail: TrailView): string =>
  `${trail.organization ? 'organization trail' : 'trail'} ${trail.name}`;

/** Trails named in a failing verdict at most; the fix follows the closest to passing. */
const MAX_NAMED = 5;

/**
 * `trail`: root events reach EventBridge only through a trail, and from every Region only
 * through a multi-Region one that records read and write management events and is delivering.
 */
export const trailCheck = (trails: TrailReads): Check => ({
  id: 'trail',
  actions: [
    'cloudtrail:DescribeTrails',
    'cloudtrail:GetTrailStatus',
    'cloudtrail:GetEventSelectors',
  ],
  async run(now) {
    const judged = (await trails.trails()).map((trail) => ({
      trail,
      problems: problemsOf(trail, now),
    }));
    const good = judged.find(({ problems }) => problems.length === 0);
    if (good !== undefined) {
      const delivered = good.trail.latestDelivery;
      return pass(
        `${described(good.trail)} records read and write management events in every Region${delivered === undefined ? '' : `; last delivery ${ago(now.getTime() - delivered.getTime())} ago`}`,
      );
    }
    if (judged.length === 0) {
      return fail(
        'no trail logs this account, so no root activity reaches EventBridge: the monitor is blind',
        'create a multi-Region trail and start it: aws cloudtrail create-trail --name root-monitor-trail --s3-bucket-name BUCKET --is-multi-region-trail, then aws cloudtrail start-logging --name root-monitor-trail',
      );
    }
    const closest = [...judged].sort((a, b) => a.problems.length - b.problems.length);
    const named = closest
      .slice(0, MAX_NAMED)
      .map(
        ({ trail, problems }) => `${described(trail)} ${problems.map((p) => p.what).join(', ')}`,
      );
    if (closest.length > MAX_NAMED) named.push(`${closest.length - MAX_NAMED} more`);
    const best = closest[0];
    const owner = best?.trail.organization
      ? ' (an organization trail: from its management account)'
      : '';
    return fail(
      `no trail records every Region's management events: ${named.join('; ')}`,
      `${best?.problems.map((p) => p.fix).join('; ') ?? ''}${owner}`,
    );
  },
});
