import type { TrailEvent } from '../intake/trail-event.js';
import { lookupCommands } from './lookup-command.js';
import { accountOrPlaceholder, regionOrPlaceholder, sourceIpOrPlaceholder } from './shell-safe.js';

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
