import { parameterMatcher } from '../engine/parameter-name.js';
import { type TrailEvent, UNKNOWN } from '../intake/trail-event.js';

/** The SSM calls that change what a configuration parameter holds, or which version is which. */
export const CONFIG_CHANGE_EVENT_NAMES = [
  'PutParameter',
  'DeleteParameter',
  'DeleteParameters',
  'LabelParameterVersion',
  'UnlabelParameterVersion',
] as const;

const CHANGES: ReadonlySet<string> = new Set(CONFIG_CHANGE_EVENT_NAMES);

/** A change to the monitor's own configuration, by whoever made it. */
export interface ConfigChangeEvent {
  event: TrailEvent;
  /** `written`: a new version; `deleted`: gone; `relabelled`: labels only, the value is the same. */
  kind: 'written' | 'deleted' | 'relabelled';
  /** The configuration parameters the call named, as SSM names them (ARNs read as names). */
  parameters: readonly string[];
  /** The version PutParameter created (its response), when the event says. */
  version: number | undefined;
}

const kindOf = (eventName: string): ConfigChangeEvent['kind'] => {
  if (eventName === 'PutParameter') return 'written';
  if (eventName.startsWith('Delete')) return 'deleted';
  return 'relabelled';
};

const namesIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
};

/** `arn:aws:ssm:us-east-1:111122223333:parameter/root-monitor/config` is `/root-monitor/config`. */
const asName = (identifier: string): string =>
  identifier.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(?=\/)/, '');

/** The account the configuration lives in: that of the topic the function alerts on, its own. */
export const ownAccountOf = (topicArn: string | undefined): string | undefined =>
  topicArn?.split(':')[4] || undefined;

/**
 * Recognises a call that changes the configuration parameter (or one under the configured
 * path), whoever made it and whether or not it succeeded.
 *
 * @param configParameter the monitor's CONFIG_PARAMETER; without it nothing is recognised
 * @param ownAccount the account the configuration lives in. A call in another account (a member
 *   account's event forwarded to this bus, or read from an organization trail) names that
 *   account's parameter, however alike the name. Unknown: every account's call is recognised,
 *   as is a call whose record names no account, since an extra announcement beats a missed one.
 */
export const configChangeOf = (
  event: TrailEvent,
  configParameter: string | undefined,
  ownAccount: string | undefined,
): ConfigChangeEvent | undefined => {
  if (configParameter === undefined || configParameter === '') return undefined;
  if (event.eventSource !== 'ssm.amazonaws.com' || !CHANGES.has(event.eventName)) return undefined;
  if (ownAccount !== undefined && event.accountId !== UNKNOWN && event.accountId !== ownAccount) {
    return undefined;
  }
  const matches = parameterMatcher(configParameter);
  const request = event.requestParameters ?? {};
  const named = [...namesIn(request.name), ...namesIn(request.names)].filter(matches);
  if (named.length === 0) return undefined;
  // One parameter: its configured name, however the call wrote it. A path: each name as called.
  const parameters = configParameter.endsWith('/')
    ? [...new Set(named.map(asName))]
    : [configParameter];
  const version = event.responseElements?.version;
  return {
    event,
    kind: kindOf(event.eventName),
    parameters,
    version: typeof version === 'number' && Number.isSafeInteger(version) ? version : undefined,
  };
};
