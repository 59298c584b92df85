import type { Rule } from '../src/engine/rule.js';
import { ignores, matches } from './case-table.js';
import { rootSignIn } from './cases.js';
import { incidentRunbook } from './runbook.js';
import { isConsoleLogin, mfaUsed, signInFailed } from './sign-in.js';

export const rootConsoleLogin: Rule = {
  id: 'root-console-login',
  title: 'Root console sign-in with MFA',
  severity: 'HIGH',
  description:
    'Someone signed in to the console as root, with MFA. Few tasks need root, so each sign-in should match a planned task; if not, both the password and the MFA device are in the wrong hands.',
  runbook: incidentRunbook(
    'Check that {sourceIp} is an address the account owner uses and that they were at their MFA device at that time; if not, both the password and the MFA device are compromised.',
  ),
  allowlistable: true,
  dedupBy: 'event',
  match: (event) => isConsoleLogin(event) && !signInFailed(event) && mfaUsed(event),
  tests: () => [
    ...matches({
      'MFAUsed YES': rootSignIn(),
      'MFAUsed Yes': rootSignIn({ additionalEventData: { MobileVersion: 'No', MFAUsed: 'Yes' } }),
    }),
    ...ignores({
      'without MFA belongs to the critical rule': rootSignIn({
        additionalEventData: { MobileVersion: 'No', MFAUsed: 'No' },
      }),
      'failed sign-in': rootSignIn({
        responseElements: { ConsoleLogin: 'Failure' },
        errorMessage: 'Failed authentication',
      }),
    }),
  ],
};
