import type { TrailEvent } from '../intake/trail-event.js';
import { isObject } from '../intake/trail-event.js';

/** The most of a changed value a line shows; the whole event is in the message. */
const VALUE_CHARS = 300;

const asText = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}...` : text;
};

/** What each target of a PutTargets call hands the function, when not the event itself. */
const targetInputs = (targets: unknown): string | undefined => {
  if (!Array.isArray(targets)) return undefined;
  const handed = targets.flatMap((target) => {
    if (!isObject(target)) return [];
    const id = typeof target.id === 'string' ? target.id : '?';
    for (const field of ['input', 'inputPath', 'inputTransformer'] as const) {
      const value = asText(target[field]);
      if (value !== undefined)
        return [`target ${id} is given ${field} ${value} instead of the event`];
    }
    return [`target ${id} ${asText(target.arn) ?? ''}`.trim()];
  });
  return handed.length === 0 ? undefined : handed.join('; ');
};

/**
 * What a change to the monitor changed, read from its request where the event says: the new
 * pattern, a target's input, a subscription's filter, a key's state, a function's concurrency.
 * Raw CloudTrail text (attacker-controlled): whoever shows it escapes it. Undefined when the
 * request says nothing more than its name.
 */
export const whatChanged = (event: TrailEvent): string | undefined => {
  const request = event.requestParameters ?? {};
  const call = event.eventName.replace(/20\d{6}(?:v\d+)?$/, '');
  switch (`${event.eventSource} ${call}`) {
    case 'events.amazonaws.com PutRule': {
      const parts = [
        request.state === undefined ? undefined : `state ${asText(request.state)}`,
        request.eventPattern === undefined ? undefined : `pattern ${asText(request.eventPattern)}`,
      ].filter((part) => part !== undefined);
      return parts.length === 0 ? undefined : parts.join(', ');
    }
    case 'events.amazonaws.com PutTargets':
      return targetInputs(request.targets);
    case 'events.amazonaws.com DisableRule':
      return 'the rule disabled: it delivers nothing';
    case 'sns.amazonaws.com SetSubscriptionAttributes':
    case 'sns.amazonaws.com SetTopicAttributes':
      return `${asText(request.attributeName) ?? 'an attribute'} set to ${asText(request.attributeValue) ?? 'nothing'}`;
    case 'kms.amazonaws.com DisableKey':
      return 'the key disabled: nothing it encrypts can be published';
    case 'kms.amazonaws.com ScheduleKeyDeletion':
      return `the key scheduled for deletion in ${asText(request.pendingWindowInDays) ?? 'the default 30'} days`;
    case 'kms.amazonaws.com PutKeyPolicy':
      return `a new key policy: ${asText(request.policy) ?? 'not recorded'}`;
    case 'lambda.amazonaws.com PutFunctionConcurrency':
      return `reserved concurrency set to ${asText(request.reservedConcurrentExecutions) ?? '?'}`;
    case 'lambda.amazonaws.com UpdateFunctionConfiguration': {
      const changed = Object.keys(request).filter((key) => key !== 'functionName');
      return changed.length === 0 ? undefined : `configuration changed: ${changed.join(', ')}`;
    }
    case 'lambda.amazonaws.com UpdateFunctionCode':
      return 'new code on $LATEST: it runs only once published, but SAM publishes what $LATEST holds at the next deploy';
    default:
      return undefined;
  }
};
