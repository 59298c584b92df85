import type { TrailEvent } from '../src/intake/trail-event.js';

/**
 * How IAM names the root user in the `userName` of calls on root's own credentials (MFA devices
 * above all). IAM user names cannot contain spaces, so no IAM user can be named this.
 */
export const ROOT_USER_NAME = 'AWS ROOT USER';

/**
 * Whether an IAM credential call by root is on root's own credentials: without a `userName` a
 * call applies to the caller, and IAM may name root itself as {@link ROOT_USER_NAME}. With any
 * other name, root is acting on an IAM user.
 */
export const onRootItself = (event: TrailEvent): boolean => {
  const userName = event.requestParameters?.userName;
  return typeof userName !== 'string' || userName === ROOT_USER_NAME;
};
