import type { Rule } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
import { rootSignIn } from './cases.js';
import { escalate, reviewRootActivity } from './runbook.js';
import { isConsoleLogin, signInFailed } from './sign-in.js';

const failure = {
  responseElements: { ConsoleLogin: 'Failure' },
  errorMessage: 'Failed authentication',
};

export const rootConsoleLoginFailure: Rule = {
  id: 'root-console-login-failure',
  title: 'Failed root console sign-in',
  severity: 'MEDIUM',
  description:
    'A console sign-in as root failed. One failure is usually a typo; repeated failures from an unknown address mean someone is guessing the root password. Failures from one address are grouped into one alert.',
  // A failure is not yet a compromise: find out who is trying before rotating anything.
  runbook: [
    'Check whether {sourceIp} is an address your team uses. Failures from an unknown address mean someone knows the root email address and is trying passwords.',
    'Ask the owner of account {account} whether they mistyped the root password; if they did, no further action is needed.',
    'Check whether a successful root sign-in followed, from this or any other address: a success after failures is a likely compromise.',
    reviewRootActivity,
    'If the failures are not explained: change the root password, confirm root MFA is enabled (aws iam get-account-summary shows AccountMFAEnabled 1), and protect the root email mailbox, since password recovery goes through it.',
    escalate,
  ],
  allowlistable: true,
  dedupBy: 'account-and-source-ip',
  match: (event) => isConsoleLogin(event) && signInFailed(event),
  tests: () => [
    ...matches({
      'ConsoleLogin Failure': rootSignIn(failure),
      'only the error message': rootSignIn({
        responseElements: null,
        errorMessage: 'Failed authentication',
      }),
      'only the outcome, lower-case': rootSignIn({ responseElements: { ConsoleLogin: 'failure' } }),
      'failure from a centralized-root session': rootSignIn({
        ...failure,
        userIdentity: { type: 'Root', accountId: '111122223333', assumedRoot: true },
      }),
    }),
    ...ignores({
      'successful sign-in': rootSignIn(),
      'failed root API call is not a sign-in': rootSignIn({
        ...failure,
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        eventType: 'AwsApiCall',
        errorCode: 'AccessDenied',
      }),
    }),
  ],
};
