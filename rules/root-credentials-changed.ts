import type { Rule } from '../src/engine/rule.js';
import { rootRecord, rootSignIn } from './cases.js';
import { incidentRunbook } from './runbook.js';

const PASSWORD_EVENTS = new Set([
  'PasswordUpdated',
  'PasswordRecoveryRequested',
  'PasswordRecoveryCompleted',
]);

const passwordEvent = (eventName: string, responseElements: Record<string, string>) =>
  rootSignIn({ eventName, responseElements, additionalEventData: undefined });

export const rootCredentialsChanged: Rule = {
  id: 'root-credentials-changed',
  title: 'Root password change or recovery',
  severity: 'CRITICAL',
  description:
    'The root password was changed, or a password recovery was started or completed. Done by anyone but the owner, this is an account takeover in progress.',
  runbook: incidentRunbook(
    'If the owner did not change or recover the root password, the account is being taken over: regain control now with "Forgot password" on the root email address, secure that mailbox, and contact AWS Support if the email address was changed too.',
  ),
  allowlistable: true,
  dedupBy: 'event',
  match: (event) =>
    event.eventSource === 'signin.amazonaws.com' && PASSWORD_EVENTS.has(event.eventName),
  tests: () => [
    {
      name: 'password updated',
      record: passwordEvent('PasswordUpdated', { PasswordUpdated: 'Success' }),
      expected: true,
    },
    {
      name: 'recovery requested',
      record: passwordEvent('PasswordRecoveryRequested', { PasswordRecoveryRequested: 'Success' }),
      expected: true,
    },
    {
      name: 'recovery completed',
      record: passwordEvent('PasswordRecoveryCompleted', { PasswordRecoveryCompleted: 'Success' }),
      expected: true,
    },
    {
      name: 'failed password update',
      record: passwordEvent('PasswordUpdated', { PasswordUpdated: 'Failure' }),
      expected: true,
    },
    { name: 'console sign-in', record: rootSignIn(), expected: false },
    {
      name: "root resetting an IAM user's password",
      record: rootRecord({
        eventName: 'UpdateLoginProfile',
        requestParameters: { userName: 'alice', passwordResetRequired: true },
      }),
      expected: false,
    },
  ],
};
