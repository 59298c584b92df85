import { CATALOG } from '../../../rules/index.js';
import { escapeText } from '../../alert/text/escape.js';
import {
  CONFIG_CHANGE_RULE_ID,
  type ConfigChangeNotice,
} from '../../config-watch/config-change-alert.js';
import { digestFacts } from '../../digests/digest-facts.js';
import type { WindowDigest } from '../../digests/window-digest.js';
import { UNKNOWN } from '../../intake/trail-event.js';
import type { Paint } from '../colour.js';
import { decisionOf, type RootUsage } from './replayed.js';

/** Events by decision, and the digests of the windows they opened. */
type Counts = Record<RootUsage['decision'] | 'digest', number>;

const DECISIONS = ['alert', 'allowlisted', 'duplicate'] as const;

/** An organization's archive names hundreds of accounts; the busiest are what a reader needs. */
const MOST_ACCOUNTS = 10;

const ACCOUNT_CHARS = 32;

const zero = (): Counts => ({ alert: 0, allowlisted: 0, duplicate: 0, digest: 0 });

const totalOf = (counts: Counts): number => counts.alert + counts.allowlisted + counts.duplicate;

const countIn = (map: Map<string, Counts>, key: string, decision: keyof Counts): void => {
  let counts = map.get(key);
  if (counts === undefined) {
    counts = zero();
    map.set(key, counts);
  }
  counts[decision]++;
};

/**
 * Counts replayed events by rule and by account, for the table under the event lines. Each event
 * counts once, under its top rule (the one whose runbook its alert leads with), so every column
 * adds up to the events listed above it. Digests are counted beside the total, not in it: they
 * report events already counted.
 */
export class ReplayTally {
  readonly #byRule = new Map<string, Counts>();
  readonly #byAccount = new Map<string, Counts>();

  add(replayed: RootUsage): void {
    const { event, matches } = decisionOf(replayed);
    countIn(this.#byRule, matches[0]?.rule.id ?? '-', replayed.decision);
    countIn(this.#byAccount, event.accountId, replayed.decision);
  }

  /** An announced change counts as an alert, as the Lambda publishes it, under its own rule. */
  addChange({ change }: ConfigChangeNotice): void {
    countIn(this.#byRule, CONFIG_CHANGE_RULE_ID, 'alert');
    countIn(this.#byAccount, change.event.accountId, 'alert');
  }

  /** A digest counts under its window's rule and account. */
  addDigest(digest: WindowDigest): void {
    const { ruleId, accountId } = digestFacts(digest);
    countIn(this.#byRule, ruleId, 'digest');
    countIn(this.#byAccount, accountId, 'digest');
  }

  /** The table, or nothing when no root usage was replayed. */
  table(paint: Paint): string {
    if (this.#byRule.size === 0) return '';
    const catalogOrder = new Map(CATALOG.map((rule, index) => [rule.id, index]));
    const rules = [...this.#byRule].sort(
      ([a], [b]) =>
        (catalogOrder.get(a) ?? CATALOG.length) - (catalogOrder.get(b) ?? CATALOG.length),
    );
    const accounts = [...this.#byAccount]
      .sort(([a, x], [b, y]) => totalOf(y) - totalOf(x) || a.localeCompare(b))
      .map(([account, counts]): [string, Counts] => [
        // As in the lines above: `-` where CloudTrail gave no account.
        account === UNKNOWN ? '-' : escapeText(account, ACCOUNT_CHARS),
        counts,
      ]);
    const shown = accounts.slice(0, MOST_ACCOUNTS);
    const hidden = accounts.slice(MOST_ACCOUNTS);
    const width = Math.max(
      'ACCOUNT'.length,
      ...rules.map(([id]) => id.length),
      ...shown.map(([account]) => account.length),
    );
    const row = (name: string, counts: Counts): string =>
      `${name.padEnd(width)}${DECISIONS.map((decision) => String(counts[decision]).padStart(decision.length + 2)).join('')}${String(totalOf(counts)).padStart('total'.length + 2)}${String(counts.digest).padStart('digests'.length + 2)}\n`;
    const heading = (name: string): string =>
      `${paint(
        'dim',
        `${name.padEnd(width)}${DECISIONS.map((decision) => decision.toUpperCase().padStart(decision.length + 2)).join('')}${'TOTAL'.padStart('total'.length + 2)}${'DIGESTS'.padStart('digests'.length + 2)}`,
      )}\n`;
    const rest = hidden.reduce((sum, [, counts]) => {
      for (const decision of [...DECISIONS, 'digest'] as const) sum[decision] += counts[decision];
      return sum;
    }, zero());
    return [
      '\n',
      heading('RULE'),
      ...rules.map(([id, counts]) => row(id, counts)),
      heading('ACCOUNT'),
      ...shown.map(([account, counts]) => row(account, counts)),
      ...(hidden.length === 0 ? [] : [row(`${hidden.length} more accounts`, rest)]),
    ].join('');
  }
}
