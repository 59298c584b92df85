import type { Rule } from '../src/engine/rule.js';
import { rootSignIn } from './cases.js';
import { incidentRunbook } from './runbook.js';
import { isConsoleLogin, mfaUsed, signInFailed } from './sign-in.js';

const withMfa = (MFAUsed: unknown) => ({
  LoginTo: 'https://console.aws.amazon.com/console/home',
  MobileVersion: 'No',
  MFAUsed,
});

export const rootConsoleLoginWithoutMfa: Rule = {
  id: 'root-console-login-without-mfa',
  title: 'Root console sign-in without MFA',
  severity: 'CRITICAL',
  description:
    'Someone signed in to the console as root with the password alone. Whoever holds that password controls the account, past every IAM policy.',
  runbook: incidentRunbook(
    'Treat the root password as stolen unless the owner confirms, within minutes, that they signed in from {sourceIp}.',
    'Enable MFA on root now; if it was enabled, find out how it was bypassed (aws iam get-account-summary shows AccountMFAEnabled) and read the MFA removal events in the activity below.',
  ),
  allowlistable: false,
  dedupBy: 'event',
  match: (event) => isConsoleLogin(event) && !signInFailed(event) && !mfaUsed(event),
  tests: () => [
    {
      name: 'MFAUsed No',
      record: rootSignIn({ additionalEventData: withMfa('No') }),
      expected: true,
    },
    {
      name: 'MFAUsed missing counts as no MFA',
      record: rootSignIn({ additionalEventData: { LoginTo: 'https://console.aws.amazon.com/' } }),
      expected: true,
    },
    {
      name: 'additionalEventData missing',
      record: rootSignIn({ additionalEventData: undefined }),
      expected: true,
    },
    {
      name: 'MFAUsed lower-case no',
      record: rootSignIn({ additionalEventData: withMfa('no') }),
      expected: true,
    },
    {
      name: 'MFAUsed not a string',
      record: rootSignIn({ additionalEventData: withMfa(true) }),
      expected: true,
    },
    {
      name: 'outcome missing counts as success',
      record: rootSignIn({ responseElements: null, additionalEventData: withMfa('No') }),
      expected: true,
    },
    {
      name: 'centralized-root session',
      record: rootSignIn({
        userIdentity: {
          type: 'Root',
          arn: 'arn:aws:iam::111122223333:root',
          accountId: '111122223333',
          assumedRoot: 'true',
        },
        additionalEventData: withMfa('No'),
      }),
      expected: true,
    },
    {
      name: 'MFAUsed YES (AWS example spelling)',
      record: rootSignIn({ additionalEventData: withMfa('YES') }),
      expected: false,
    },
    {
      name: 'MFAUsed Yes',
      record: rootSignIn({ additionalEventData: withMfa('Yes') }),
      expected: false,
    },
    {
      name: 'failed sign-in without MFA',
      record: rootSignIn({
        responseElements: { ConsoleLogin: 'Failure' },
        errorMessage: 'Failed authentication',
        additionalEventData: withMfa('No'),
      }),
      expected: false,
    },
    {
      name: 'failed sign-in with only the error message',
      record: rootSignIn({
        responseElements: null,
        errorMessage: 'Failed authentication',
        additionalEventData: withMfa('No'),
      }),
      expected: false,
    },
    {
      name: 'not a sign-in',
      record: rootSignIn({ eventName: 'PasswordUpdated', additionalEventData: withMfa('No') }),
      expected: false,
    },
    {
      name: 'ConsoleLogin claimed by another service',
      record: rootSignIn({ eventSource: 'iam.amazonaws.com', additionalEventData: withMfa('No') }),
      expected: false,
    },
  ],
};
