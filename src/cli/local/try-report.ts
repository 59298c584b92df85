import { escapeText } from '../../alert/text/escape.js';
import { isObject } from '../../intake/trail-event.js';
import type { Delivery } from './local-monitor.js';

/** Everything shown comes from a sample, a handler's answer or a message: escaped, and short. */
const printable = (value: unknown, maxChars = 200): string => escapeText(String(value), maxChars);

/** `alert HIGH root-activity`, `ignored (identity type is IAMUser)`, `digests (none due)`. */
const decisionOf = (result: Record<string, unknown>): string => {
  const { decision } = result;
  switch (decision) {
    case 'alert':
    case 'duplicate':
    case 'allowlisted': {
      const rules = Array.isArray(result.ruleIds) ? result.ruleIds.map((id) => printable(id)) : [];
      const entry =
        decision === 'allowlisted' ? ` by entry ${printable(result.allowlistEntry)}` : '';
      return `${decision} ${printable(result.severity)} ${rules.join(',')}${entry}`;
    }
    case 'ignored':
      return `ignored (${printable(result.reason)})`;
    case 'digests': {
      const sent = Array.isArray(result.results) ? result.results.length : 0;
      const unsent = typeof result.unsent === 'number' && result.unsent > 0;
      return `digests (${sent === 0 ? 'none due' : `${sent} sent`}${unsent ? `, ${result.unsent} left for the next run` : ''})`;
    }
    case 'batch':
      return Array.isArray(result.results)
        ? result.results.map((one) => (isObject(one) ? decisionOf(one) : '?')).join('; ')
        : 'batch';
    case 'unreadable':
      return `unreadable (${printable(result.error)})`;
    default:
      return printable(decision);
  }
};

/** The decisions in a result, to count them: a batch's each. */
export const decisionsIn = (result: unknown): string[] => {
  if (!isObject(result)) return [];
  if (result.decision === 'batch' && Array.isArray(result.results)) {
    return result.results.flatMap(decisionsIn);
  }
  return [printable(result.decision, 40)];
};

/** The line a sample gets: its file, the function it went to, and the function's decision. */
export const sampleLine = (sample: string, functionId: string, result: unknown): string =>
  `${printable(sample, 500)} → ${functionId}: ${isObject(result) ? decisionOf(result) : 'no result'}`;

/** What reached a topic: its name, the `severity` attribute, the subject. */
export const deliveryLine = ({ topicName, severity, subject }: Delivery): string =>
  `  → ${printable(topicName)} (severity ${printable(severity ?? '-')}): ${printable(subject ?? '(no subject)')}`;

/** `13 alert, 2 ignored, 1 digests`: how many of each decision, in the order first seen. */
export const tally = (decisions: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const decision of decisions) counts.set(decision, (counts.get(decision) ?? 0) + 1);
  return [...counts].map(([decision, count]) => `${count} ${decision}`).join(', ');
};
