import { isObject } from './trail-event.js';

/**
 * The input of the function's schedule that sends window digests: constant, set in the
 * template. CloudTrail events never have this shape, and EventBridge admits no other sender
 * to the function.
 */
export const DIGEST_TASK = { rootMonitorTask: 'digests' } as const;

export const isDigestTask = (input: unknown): boolean =>
  isObject(input) && input.rootMonitorTask === DIGEST_TASK.rootMonitorTask;
