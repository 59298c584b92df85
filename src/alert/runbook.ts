import type { Alert } from '../engine/decision.js';
import { throughConsole } from '../engine/root-usage.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { lookupCommands } from './lookup-command.js';
import {
  accountOrPlaceholder,
  regionOrPlaceholder,
  sourceIpOrPlaceholder,
} from './text/shell-safe.js';

/**
 * The values a rule's runbook may name. Runbook steps can hold commands, so every value is
 * validated or a `<placeholder>`, never raw event text.
 */
export interface RunbookValues {
  account: string;
  region: string;
  sourceIp: string;
  lookupCommand: string;
}

export const runbookValues = (event: TrailEvent): RunbookValues => ({
  account: accountOrPlaceholder(event.accountId),
  region: regionOrPlaceholder(event.region),
  sourceIp: sourceIpOrPlaceholder(event.sourceIp),
  lookupCommand: lookupCommands(event)[0].command,
});

/** How a medium writes the runbook's own text and a filled-in command. */
export interface RunbookStyle {
  text(value: string): string;
  command(value: string): string;
}

const AS_IS: RunbookStyle = { text: (value) => value, command: (value) => value };

const PLACEHOLDER = /\{(account|region|sourceIp|lookupCommand)\}/g;

/** Fills `{account}`, `{region}`, `{sourceIp}` and `{lookupCommand}` in each step. */
export const fillRunbook = (
  steps: readonly string[],
  values: RunbookValues,
  style: RunbookStyle = AS_IS,
): string[] =>
  steps.map((step) => {
    let out = '';
    let last = 0;
    for (const match of step.matchAll(PLACEHOLDER)) {
      const name = match[1] as keyof RunbookValues;
      out += style.text(step.slice(last, match.index));
      out += name === 'lookupCommand' ? style.command(values[name]) : style.text(values[name]);
      last = match.index + match[0].length;
    }
    return out + style.text(step.slice(last));
  });

/**
 * The step for a call made through the console: root was used by a person signed in, not by a
 * program holding a key, and that sign-in is where the search starts.
 */
export const CONSOLE_STEP =
  'This call came through the AWS Management Console: a person signed in as root made it. Find that sign-in (ConsoleLogin, recorded in us-east-1) for account {account} from {sourceIp} in the activity below; it shows when the session began and whether MFA was used. If nobody vouches for that person, the password change below keeps them from signing in again.';

/**
 * The runbook an alert leads with: its top rule's, and for a call made through the console, the
 * console step right after the rule's first, most urgent step.
 */
export const runbookOf = (alert: Alert): readonly string[] => {
  const { runbook } = alert.matches[0].rule;
  if (!throughConsole(alert.event)) return runbook;
  return [...runbook.slice(0, 1), CONSOLE_STEP, ...runbook.slice(1)];
};
