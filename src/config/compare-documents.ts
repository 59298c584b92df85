import type { Rule } from '../engine/rule.js';
import type { AllowEntry, AllowWindow, Config, ConfigDocument } from './config.js';
import { defaultConfigFor } from './default-config.js';
import { type IpRange, inRange, parseIpRange } from './ip-range.js';
import { parseConfig } from './parse-config.js';
import { minutesOf } from './weekly-window.js';

/**
 * What one field's change does to the root events an allowlist silences: `widens` when some
 * event it did not silence before now is (or a rule pages less), `narrows` when it only takes
 * away, `neutral` when it changes nothing the monitor decides (a reworded reason).
 */
export type Effect = 'widens' | 'narrows' | 'neutral';

/** One field that differs, with both values as JSON text (`undefined`: the field is absent). */
export interface FieldChange {
  field: string;
  before: string | undefined;
  after: string | undefined;
  effect: Effect;
  /** Why, in a few words: `adds "10.0.0.0/8"`, `no longer expires`. */
  why: string;
}

export interface EntryChange {
  kind: 'added' | 'removed' | 'changed';
  id: string;
  /** Every field of an added or removed entry; the differing ones of a changed entry. */
  fields: readonly FieldChange[];
  effect: Effect;
}

/** What a document read as: absent (no parameter), valid, or invalid (the monitor fails closed). */
export type DocumentState =
  | { kind: 'absent' }
  | { kind: 'valid' }
  | { kind: 'invalid'; problems: readonly string[] };

/**
 * The difference between two versions of a configuration document, judged on what the monitor
 * does with each: an absent or invalid document allows nothing, with every rule at its catalog
 * defaults, so that is what it is compared as.
 */
export interface ConfigChange {
  before: DocumentState;
  after: DocumentState;
  entries: readonly EntryChange[];
  /** `dedupMinutes` and the rules' effective settings. */
  settings: readonly FieldChange[];
  /** Anything at all now silenced, collapsed or downgraded that was not before. */
  widens: boolean;
  narrows: boolean;
}

const show = (value: unknown): string | undefined =>
  value === undefined ? undefined : JSON.stringify(value);

/** The effect of a change that both adds and takes away: adding anything widens. */
const combined = (widens: boolean, narrows: boolean): Effect =>
  widens ? 'widens' : narrows ? 'narrows' : 'neutral';

const change = (
  field: string,
  before: unknown,
  after: unknown,
  effect: Effect,
  why: string,
): FieldChange => ({ field, before: show(before), after: show(after), effect, why });

/**
 * A field whose absence means "any" (`eventNames`, `sourceIps`, `windows`...): leaving it out
 * widens the entry to everything, adding it narrows the entry to what it lists.
 */
const presenceChange = (
  field: string,
  before: unknown,
  after: unknown,
): FieldChange | undefined => {
  if (before === undefined && after !== undefined) {
    return change(field, before, after, 'narrows', 'now limited to what it lists');
  }
  if (before !== undefined && after === undefined) {
    return change(field, before, after, 'widens', 'removed: the entry now matches any value');
  }
  return undefined;
};

/** `covers(a, b)`: everything `b` admits, `a` admits too. */
const setChange = <T>(
  field: string,
  before: readonly T[] | undefined,
  after: readonly T[] | undefined,
  covers: (a: T, b: T) => boolean,
  label: (item: T) => string,
): FieldChange | undefined => {
  const presence = presenceChange(field, before, after);
  if (presence !== undefined || before === undefined || after === undefined) return presence;
  const added = after.filter((item) => !before.some((old) => covers(old, item)));
  const removed = before.filter((item) => !after.some((now) => covers(now, item)));
  if (added.length === 0 && removed.length === 0) {
    return show(before) === show(after)
      ? undefined
      : change(field, before, after, 'neutral', 'rewritten, admitting the same');
  }
  const why = [
    added.length > 0 ? `adds ${added.map(label).join(', ')}` : '',
    removed.length > 0 ? `drops ${removed.map(label).join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join('; ');
  return change(field, before, after, combined(added.length > 0, removed.length > 0), why);
};

const equalText = (a: string, b: string): boolean => a === b;

interface Range {
  text: string;
  range: IpRange | undefined;
}

/** A range covers another when it holds its network and is at most as long a prefix. */
const rangeCovers = (outer: Range, inner: Range): boolean => {
  if (outer.range === undefined || inner.range === undefined) return outer.text === inner.text;
  const [network, prefix] = inner.range;
  return outer.range[1] <= prefix && inRange(network, outer.range);
};

const rangesOf = (texts: readonly string[] | undefined): Range[] | undefined =>
  texts?.map((text) => ({ text, range: parseIpRange(text) }));

/** One day of a weekly window: the minutes it spans from that day's midnight, in its zone. */
interface WindowDay {
  day: string;
  start: number;
  end: number;
  timezone: string;
  text: string;
}

const windowDays = (windows: readonly AllowWindow[] | undefined): WindowDay[] | undefined =>
  windows?.flatMap((window) =>
    window.days.map((day) => {
      const start = minutesOf(window.start);
      const end = minutesOf(window.end);
      return {
        day,
        start,
        // A window past midnight runs into the next day, from the day it starts.
        end: end > start ? end : end + 24 * 60,
        timezone: window.timezone,
        text: `${day} ${window.start}-${window.end} ${window.timezone}`,
      };
    }),
  );

const windowCovers = (outer: WindowDay, inner: WindowDay): boolean =>
  outer.day === inner.day &&
  outer.timezone === inner.timezone &&
  outer.start <= inner.start &&
  inner.end <= outer.end;

/** `notBefore`: earlier (or gone) admits more. `expires`: later (or gone) admits more. */
const boundChange = (
  field: 'notBefore' | 'expires',
  before: string | undefined,
  after: string | undefined,
): FieldChange | undefined => {
  if (before === after) return undefined;
  if (before === undefined) {
    return change(
      field,
      before,
      after,
      'narrows',
      field === 'expires' ? `now expires at ${after}` : `now starts at ${after}`,
    );
  }
  if (after === undefined) {
    return change(
      field,
      before,
      after,
      'widens',
      field === 'expires' ? 'no longer expires' : 'no longer has a start',
    );
  }
  const later = Date.parse(after) > Date.parse(before);
  const widens = field === 'expires' ? later : !later;
  if (Date.parse(after) === Date.parse(before)) {
    return change(field, before, after, 'neutral', 'the same instant, written differently');
  }
  return change(
    field,
    before,
    after,
    widens ? 'widens' : 'narrows',
    field === 'expires'
      ? `expires ${later ? 'later' : 'earlier'}`
      : `starts ${later ? 'later' : 'earlier'}`,
  );
};

const assumedRootChange = (
  before: boolean | undefined,
  after: boolean | undefined,
): FieldChange | undefined => {
  if (before === after) return undefined;
  const presence = presenceChange('assumedRoot', before, after);
  if (presence !== undefined) return presence;
  return change(
    'assumedRoot',
    before,
    after,
    'widens',
    after ? 'now admits AssumeRoot sessions it did not' : 'now admits root sessions it did not',
  );
};

const ENTRY_FIELDS = [
  'reason',
  'eventNames',
  'eventSources',
  'sourceIps',
  'accounts',
  'regions',
  'assumedRoot',
  'principalArns',
  'taskPolicyArns',
  'sessionPrincipalArns',
  'sessionTaskPolicyArns',
  'windows',
  'notBefore',
  'expires',
] as const satisfies readonly (keyof AllowEntry)[];

/**
 * Fails to compile when an entry field is added without being compared here: a field this
 * module does not know would change what an entry admits unannounced.
 */
type UncomparedField = Exclude<keyof AllowEntry, 'id' | (typeof ENTRY_FIELDS)[number]>;
const everyFieldCompared: [UncomparedField] extends [never] ? true : UncomparedField = true;
void everyFieldCompared;

const entryFieldChanges = (before: AllowEntry, after: AllowEntry): FieldChange[] =>
  [
    before.reason === after.reason
      ? undefined
      : change('reason', before.reason, after.reason, 'neutral', 'reworded'),
    setChange('eventNames', before.eventNames, after.eventNames, equalText, JSON.stringify),
    setChange('eventSources', before.eventSources, after.eventSources, equalText, JSON.stringify),
    setChange(
      'sourceIps',
      rangesOf(before.sourceIps),
      rangesOf(after.sourceIps),
      rangeCovers,
      (range) => JSON.stringify(range.text),
    ),
    setChange('accounts', before.accounts, after.accounts, equalText, JSON.stringify),
    setChange('regions', before.regions, after.regions, equalText, JSON.stringify),
    setChange(
      'principalArns',
      before.principalArns,
      after.principalArns,
      equalText,
      JSON.stringify,
    ),
    setChange(
      'taskPolicyArns',
      before.taskPolicyArns,
      after.taskPolicyArns,
      equalText,
      JSON.stringify,
    ),
    setChange(
      'sessionPrincipalArns',
      before.sessionPrincipalArns,
      after.sessionPrincipalArns,
      equalText,
      JSON.stringify,
    ),
    setChange(
      'sessionTaskPolicyArns',
      before.sessionTaskPolicyArns,
      after.sessionTaskPolicyArns,
      equalText,
      JSON.stringify,
    ),
    assumedRootChange(before.assumedRoot, after.assumedRoot),
    setChange(
      'windows',
      windowDays(before.windows),
      windowDays(after.windows),
      windowCovers,
      (day) => JSON.stringify(day.text),
    ),
    boundChange('notBefore', before.notBefore, after.notBefore),
    boundChange('expires', before.expires, after.expires),
  ]
    .filter((field): field is FieldChange => field !== undefined)
    // Ranges and window days are compared in their parsed form but shown as written.
    .map((field) => ({
      ...field,
      before: show(before[field.field as keyof AllowEntry]),
      after: show(after[field.field as keyof AllowEntry]),
    }));

/** Every field an entry has, for an entry added or removed as a whole. */
const wholeEntry = (entry: AllowEntry, effect: Effect, why: string): FieldChange[] =>
  ENTRY_FIELDS.flatMap((field) =>
    entry[field] === undefined
      ? []
      : [
          change(
            field,
            effect === 'widens' ? undefined : entry[field],
            effect === 'widens' ? entry[field] : undefined,
            effect,
            why,
          ),
        ],
  );

const entryChanges = (
  before: readonly AllowEntry[],
  after: readonly AllowEntry[],
): EntryChange[] => {
  const beforeById = new Map(before.map((entry) => [entry.id, entry]));
  const afterIds = new Set(after.map((entry) => entry.id));
  const changes: EntryChange[] = [];
  for (const entry of after) {
    const old = beforeById.get(entry.id);
    if (old === undefined) {
      changes.push({
        kind: 'added',
        id: entry.id,
        fields: wholeEntry(entry, 'widens', 'new entry'),
        effect: 'widens',
      });
      continue;
    }
    const fields = entryFieldChanges(old, entry);
    if (fields.length === 0) continue;
    changes.push({
      kind: 'changed',
      id: entry.id,
      fields,
      effect: combined(
        fields.some((field) => field.effect === 'widens'),
        fields.some((field) => field.effect === 'narrows'),
      ),
    });
  }
  for (const entry of before) {
    if (afterIds.has(entry.id)) continue;
    changes.push({
      kind: 'removed',
      id: entry.id,
      fields: wholeEntry(entry, 'narrows', 'entry removed'),
      effect: 'narrows',
    });
  }
  return changes;
};

/** Severities from least to most paging: a lower one reaches fewer people. */
const PAGING_ORDER = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

const settingChanges = (before: Config, after: Config): FieldChange[] => {
  const changes: FieldChange[] = [];
  if (before.dedupMinutes !== after.dedupMinutes) {
    const longer = after.dedupMinutes > before.dedupMinutes;
    changes.push(
      change(
        'dedupMinutes',
        before.dedupMinutes,
        after.dedupMinutes,
        longer ? 'widens' : 'narrows',
        longer ? 'repeats are collapsed for longer' : 'repeats are collapsed for less long',
      ),
    );
  }
  for (const [id, old] of before.rules) {
    const now = after.rules.get(id);
    if (now === undefined) continue;
    const where = `rules[${JSON.stringify(id)}]`;
    if (old.enabled !== now.enabled) {
      changes.push(
        change(
          `${where}.enabled`,
          old.enabled,
          now.enabled,
          now.enabled ? 'narrows' : 'widens',
          now.enabled
            ? 'rule enabled'
            : 'rule disabled: its events fall to root-activity, at its severity and dedup',
        ),
      );
    }
    if (old.severity !== now.severity) {
      const lower = PAGING_ORDER.indexOf(now.severity) < PAGING_ORDER.indexOf(old.severity);
      changes.push(
        change(
          `${where}.severity`,
          old.severity,
          now.severity,
          lower ? 'widens' : 'narrows',
          lower
            ? 'lowered: a severity filter may now hold its alerts back'
            : 'raised: its alerts reach more people',
        ),
      );
    }
    // A rule that only follows the document-wide window is reported once, as dedupMinutes.
    const inherited =
      old.dedupMinutes === before.dedupMinutes && now.dedupMinutes === after.dedupMinutes;
    if (old.dedupMinutes !== now.dedupMinutes && !inherited) {
      const longer = now.dedupMinutes > old.dedupMinutes;
      changes.push(
        change(
          `${where}.dedupMinutes`,
          old.dedupMinutes,
          now.dedupMinutes,
          longer ? 'widens' : 'narrows',
          longer ? 'repeats are collapsed for longer' : 'repeats are collapsed for less long',
        ),
      );
    }
  }
  return changes;
};

const read = (
  document: ConfigDocument | undefined,
  catalog: readonly Rule[],
): { state: DocumentState; config: Config } => {
  if (document === undefined) {
    return { state: { kind: 'absent' }, config: defaultConfigFor(catalog) };
  }
  const result = parseConfig([document], catalog);
  return result.valid
    ? { state: { kind: 'valid' }, config: result.config }
    : { state: { kind: 'invalid', problems: result.problems }, config: result.config };
};

/**
 * Compares two versions of one configuration document, entry by entry (by id) and field by
 * field, and says whether the change widens what is allowlisted. Each document is judged on its
 * own: with a path, a change that conflicts with another document under it is not seen here.
 *
 * @param before the previous version; `undefined` when there was none
 * @param after the new version; `undefined` when the parameter was deleted
 * @param catalog the rules whose settings the documents override
 */
export const compareDocuments = (
  before: ConfigDocument | undefined,
  after: ConfigDocument | undefined,
  catalog: readonly Rule[],
): ConfigChange => {
  const old = read(before, catalog);
  const now = read(after, catalog);
  const entries = entryChanges(old.config.allow, now.config.allow);
  const settings = settingChanges(old.config, now.config);
  const effects = [...entries, ...settings].map((item) => item.effect);
  return {
    before: old.state,
    after: now.state,
    entries,
    settings,
    widens: effects.includes('widens'),
    narrows: effects.includes('narrows'),
  };
};
