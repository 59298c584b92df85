import type { TrailEvent } from '../intake/trail-event.js';
import { accessKeyOf } from './event-facts.js';
import { isAccessKeyId, isRegion, regionOrPlaceholder } from './text/shell-safe.js';
import { utcText } from './text/times.js';

/** Console sign-in, IAM and STS global-endpoint calls are recorded here, whatever Region they target. */
const GLOBAL_EVENTS_REGION = 'us-east-1';

const HOUR_MS = 60 * 60 * 1000;

/** A command to paste, and what it shows. */
export interface LookupCommand {
  purpose: string;
  command: string;
}

/**
 * From 24 h before the event to 1 h after it: what root did before, and what the same session
 * went on to do (an AssumeRoot session lasts at most 15 minutes).
 */
const timeRange = (eventTime: Date | undefined): string =>
  eventTime === undefined
    ? ''
    : between(
        new Date(eventTime.getTime() - 24 * HOUR_MS),
        new Date(eventTime.getTime() + HOUR_MS),
      );

const between = (start: Date, end: Date): string =>
  ` --start-time ${utcText(start)} --end-time ${utcText(end)}`;

const QUERY = ` --query 'Events[].[EventTime,EventName,EventSource]' --output table`;

/**
 * CloudTrail event history lists the root user's calls under the user name `root`; lookups are
 * per Region, so this names one.
 */
const rootActivity = (region: string, range: string): string =>
  `aws cloudtrail lookup-events --region ${region} --lookup-attributes AttributeKey=Username,AttributeValue=root${range}${QUERY}`;

const SPAN = '24 h before to 1 h after this event';

/**
 * The exact AWS CLI commands that list root activity around `event`. The first one is the one a
 * runbook's `{lookupCommand}` names. Only validated values reach a command; an invalid Region
 * becomes `<region>`.
 */
export const lookupCommands = (event: TrailEvent): [LookupCommand, ...LookupCommand[]] => {
  const span = event.eventTime === undefined ? 'most recent (the event has no valid time)' : SPAN;
  const global: LookupCommand = {
    purpose: `Root activity in ${GLOBAL_EVENTS_REGION}, ${span}; console sign-in, IAM and STS (global endpoint) calls are recorded in ${GLOBAL_EVENTS_REGION}`,
    command: rootActivity(GLOBAL_EVENTS_REGION, timeRange(event.eventTime)),
  };
  const commands: [LookupCommand, ...LookupCommand[]] =
    event.region === GLOBAL_EVENTS_REGION
      ? [global]
      : isRegion(event.region)
        ? [
            {
              purpose: `Root activity in ${event.region}, where this event was recorded, ${span}`,
              command: rootActivity(event.region, timeRange(event.eventTime)),
            },
            global,
          ]
        : [
            global,
            {
              purpose: `Root activity in the event's Region, ${span}; the event's Region is not a valid Region name, so replace <region>`,
              command: rootActivity(regionOrPlaceholder(event.region), timeRange(event.eventTime)),
            },
          ];
  const accessKey = accessKeyOf(event);
  if (accessKey !== undefined && isAccessKeyId(accessKey) && isRegion(event.region)) {
    commands.push({
      purpose: `Every call in ${event.region} made with this event's access key ${accessKey} (${accessKey.startsWith('ASIA') ? 'the whole console or AssumeRoot session' : 'a long-lived root access key'}), ${span}`,
      command: `aws cloudtrail lookup-events --region ${event.region} --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=${accessKey}${timeRange(event.eventTime)}${QUERY}`,
    });
  }
  return commands;
};

/** Regions named in a window's commands at most; the rest are left to the person. */
const MAX_WINDOW_REGIONS = 5;

/**
 * The commands that list root activity from `start` to `end` (a collapse window), in us-east-1
 * and in each valid Region of `regions` (the first few, in the order given). Invalid Region names
 * never reach a command; when one was seen, a `<region>` variant says so.
 */
export const windowLookupCommands = (
  regions: readonly string[],
  start: Date,
  end: Date,
): [LookupCommand, ...LookupCommand[]] => {
  const range = between(start, end);
  const span = `${utcText(start)} to ${utcText(end)}`;
  const valid = [...new Set(regions.filter(isRegion))].filter(
    (region) => region !== GLOBAL_EVENTS_REGION,
  );
  const commands: [LookupCommand, ...LookupCommand[]] = [
    {
      purpose: `Root activity in ${GLOBAL_EVENTS_REGION}, ${span}; console sign-in, IAM and STS (global endpoint) calls are recorded in ${GLOBAL_EVENTS_REGION}`,
      command: rootActivity(GLOBAL_EVENTS_REGION, range),
    },
  ];
  for (const region of valid.slice(0, MAX_WINDOW_REGIONS)) {
    commands.push({
      purpose: `Root activity in ${region}, ${span}`,
      command: rootActivity(region, range),
    });
  }
  const unnamed = valid.length - MAX_WINDOW_REGIONS;
  if (unnamed > 0 || regions.some((region) => !isRegion(region))) {
    commands.push({
      purpose: `Root activity in another Region the events name, ${span}; replace <region>${unnamed > 0 ? ` (${unnamed} more valid Region(s) are not listed here)` : ''}`,
      command: rootActivity('<region>', range),
    });
  }
  return commands;
};
