import { stringIn, type TrailEvent } from '../intake/trail-event.js';
import { issuesRootSession } from './root-usage.js';

/**
 * What an `sts:AssumeRoot` call asked for, as CloudTrail records it in the management (or
 * delegated administrator) account: the member account (`requestParameters.targetPrincipal`),
 * the root-task policy that scopes the session (`requestParameters.taskPolicyArn.arn`) and the
 * session's access key (`responseElements.credentials.accessKeyId`), which the member account's
 * trail records on every call the session makes. Values are raw event text.
 */
export interface RootSessionRequest {
  targetAccount: string | undefined;
  taskPolicyArn: string | undefined;
  sessionAccessKeyId: string | undefined;
}

/** The request of an event that issues a root session; undefined for any other event. */
export const rootSessionRequest = (event: TrailEvent): RootSessionRequest | undefined =>
  issuesRootSession(event)
    ? {
        targetAccount: stringIn(event.requestParameters, 'targetPrincipal'),
        taskPolicyArn: stringIn(event.requestParameters, 'taskPolicyArn', 'arn'),
        sessionAccessKeyId: stringIn(event.responseElements, 'credentials', 'accessKeyId'),
      }
    : undefined;

/**
 * The caller's ARNs: the identity's own and, for a role session, the role's
 * (`sessionContext.sessionIssuer.arn`), so an allowlist entry can name either.
 */
export const callerArnsOf = (event: TrailEvent): string[] => {
  const issuer = stringIn(event.record, 'userIdentity', 'sessionContext', 'sessionIssuer', 'arn');
  return [event.identityArn, ...(issuer === undefined ? [] : [issuer])];
};
