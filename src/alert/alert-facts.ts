import { type RootSessionRequest, rootSessionRequest } from '../engine/root-session.js';
import { memberRecoveryTarget, throughConsole } from '../engine/root-usage.js';
import type { Rule } from '../engine/rule.js';
import { firstSeenSentence } from '../first-seen/first-seen-text.js';
import { type Escape, sessionSummary, taskPolicyCheckText } from '../root-sessions/session-text.js';
import type { AlertNotice } from './alert-notice.js';
import {
  accessKeyOf,
  callerIsNamed,
  callFacts,
  mfaOf,
  outcomeOf,
  sessionOf,
  whenOf,
} from './event-facts.js';
import { type LookupCommand, lookupCommands } from './lookup-command.js';
import { lateDeliveryLine, staleConfigLine } from './notice-lines.js';
import { fillRunbook, type RunbookStyle, runbookOf, runbookValues } from './runbook.js';

/**
 * What a root alert says, worked out once for every medium that writes it (the email, the chat
 * message, the Security Hub finding). Event values are raw event text: each medium escapes them
 * its own way. The rest is our own words, or values validated before they reach a command.
 */
export interface AlertFacts {
  /** The rule the alert leads with: its title, description and runbook. */
  top: Rule;
  /** The caller the alert names instead of "the root user", when it names one: its ARN. */
  caller: string | undefined;
  outcome: { failed: boolean; text: string };
  when: string;
  mfa: string;
  session: string;
  accessKey: string | undefined;
  throughConsole: boolean;
  /** The root session the call asked for (sts:AssumeRoot). */
  sessionRequest: RootSessionRequest | undefined;
  /** The member account whose root email or contacts the call changed. */
  memberAccount: string | undefined;
  /** What the call did to another account or to the monitor, as labelled facts in order. */
  calls: [label: string, value: string][];
  /**
   * For a call made in a root session: who opened it and how, and whether its task policy allows
   * the call, as labelled facts with the record's values shown as `show` escapes them.
   */
  sessionFacts(show: Escape): [label: string, value: string][];
  /** Every matching rule with its severity, most severe first: `id (SEVERITY), ...`. */
  rules: string;
  /** The rules an allowlist entry that matched cannot silence; undefined when none matched. */
  unsilenceable: string | undefined;
  /** The sentence an alert from a trail file leads with, the file shown as `show` escapes it. */
  late: ((show: (file: string) => string) => string) | undefined;
  /**
   * The sentence an alert leads with when root has not used its source lately: our own words
   * and a parsed address, no event text.
   */
  firstSeen: string | undefined;
  /** What a reader needs to know while the configuration is stale. */
  stale: string | undefined;
  /** The commands that list root activity around the event; the runbook names the first. */
  lookups: readonly LookupCommand[];
  /** The runbook's steps, filled in with validated values and written in a medium's style. */
  runbook(style?: RunbookStyle): string[];
}

/** The rules that fired an alert though an allowlist entry matched: those it cannot silence. */
const unsilenceableRules = (notice: AlertNotice): string =>
  notice.alert.matches
    .filter((match) => !match.rule.allowlistable)
    .map((match) => match.rule.id)
    .join(', ') || 'a matching rule';

export const alertFacts = (notice: AlertNotice): AlertFacts => {
  const { alert, fromTrailFile, firstSeen, configReadAt } = notice;
  const { event } = alert;
  return {
    top: alert.matches[0].rule,
    caller: callerIsNamed(event) ? event.identityArn : undefined,
    outcome: outcomeOf(event),
    when: whenOf(event),
    mfa: mfaOf(event),
    session: sessionOf(event, alert.rootSession !== undefined),
    accessKey: accessKeyOf(event),
    throughConsole: throughConsole(event),
    sessionRequest: rootSessionRequest(event),
    memberAccount: memberRecoveryTarget(event),
    calls: callFacts(event),
    sessionFacts: (show) => {
      const join = alert.rootSession;
      if (join === undefined) return [];
      const check = taskPolicyCheckText(join, event, show);
      return [
        ['Root session', sessionSummary(join, show)],
        ...(check === undefined ? [] : [['Task policy', check] as [string, string]]),
      ];
    },
    rules: alert.matches.map((match) => `${match.rule.id} (${match.severity})`).join(', '),
    unsilenceable: alert.allowlistEntry === undefined ? undefined : unsilenceableRules(notice),
    late:
      fromTrailFile === undefined
        ? undefined
        : (show) => lateDeliveryLine(fromTrailFile, show(fromTrailFile.file)),
    firstSeen: firstSeen === undefined ? undefined : firstSeenSentence(firstSeen, alert),
    stale: configReadAt === undefined ? undefined : staleConfigLine(configReadAt),
    lookups: lookupCommands(event),
    runbook: (style) => fillRunbook(runbookOf(alert), runbookValues(event), style),
  };
};
