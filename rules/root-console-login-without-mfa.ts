import type { Rule } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
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
    ...matches({
      'MFAUsed No': rootSignIn({ additionalEventData: withMfa('No') }),
      'MFAUsed missing counts as no MFA': rootSignIn({
        additionalEventData: { LoginTo: 'https://console.aws.amazon.com/' },
      }),
      'additionalEventData missing': rootSignIn({ additionalEventData: undefined }),
      'MFAUsed lower-case no': rootSignIn({ additionalEventData: withMfa('no') }),
      'MFAUsed not a string': rootSignIn({ additionalEventData: withMfa(true) }),
      'outcome missing counts as success': rootSignIn({
        responseElements: null,
        additionalEventData: withMfa('No'),
      }),
      'centralized-root session': rootSignIn({
        userIdentity: {
          type: 'Root',
          arn: 'arn:aws:iam::111122223333:root',
          accountId: '111122223333',
          assumedRoot: 'true',
        },
        additionalEventData: withMfa('No'),
      }),
    }),
    ...ignores({
      'MFAUsed YES (AWS example spelling)': rootSignIn({ additionalEventData: withMfa('YES') }),
      'MFAUsed Yes': rootSignIn({ additionalEventData: withMfa('Yes') }),
      'failed sign-in without MFA': rootSignIn({
        responseElements: { ConsoleLogin: 'Failure' },
        errorMessage: 'Failed authentication',
        additionalEventData: withMfa('No'),
      }),
      'failed sign-in with only the error message': rootSignIn({
        responseElements: null,
        errorMessage: 'Failed authentication',
        additionalEventData: withMfa('No'),
      }),
      'not a sign-in': rootSignIn({
        eventName: 'PasswordUpdated',
        additionalEventData: withMfa('No'),
      }),
      'ConsoleLogin claimed by another service': rootSignIn({
        eventSource: 'iam.amazonaws.com',
        additionalEventData: withMfa('No'),
      }),
    }),
  ],
};
