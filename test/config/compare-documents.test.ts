import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../rules/index.js';
import { compareDocuments } from '../../src/config/compare-documents.js';
import type { ConfigDocument } from '../../src/config/config.js';

const compare = (before: ConfigDocument | undefined, after: ConfigDocument | undefined) =>
  compareDocuments(before, after, CATALOG);

const doc = (value: unknown) => ({
  source: '/root-monitor/config',
  text: typeof value === 'string' ? value : JSON.stringify(value),
});

const entry = {
  id: 'billing',
  reason: 'Quarterly billing task, ticket SEC-42',
  eventNames: ['GetBillingData'],
  eventSources: ['billing.amazonaws.com'],
  sourceIps: ['203.0.113.0/24'],
  accounts: ['111122223333'],
  regions: ['us-east-1'],
  assumedRoot: false,
  windows: [{ days: ['Sat'], start: '22:00', end: '02:00', timezone: 'Europe/Berlin' }],
  notBefore: '2026-01-01T00:00:00Z',
  expires: '2026-12-31T23:59:59Z',
};

const withEntry = (changes: Record<string, unknown>) => ({
  version: 1,
  allow: [{ ...entry, ...changes }],
});

/** The entry's one field change, when only that entry changed. */
const fieldChangeOf = (changes: Record<string, unknown>) => {
  const result = compare(doc(withEntry({})), doc(withEntry(changes)));
  expect(result.entries).toHaveLength(1);
  expect(result.entries[0]?.kind).toBe('changed');
  return result.entries[0]?.fields;
};

const without = (field: keyof typeof entry) => {
  const { [field]: _, ...rest } = entry;
  return { version: 1, allow: [rest] };
};

describe('compareDocuments', () => {
  describe('entries', () => {
    it('reports a new entry as added, widening, with every field it has', () => {
      const result = compare(
        doc({ version: 1 }),
        doc({ version: 1, allow: [{ id: 'new', reason: 'r', sourceIps: ['198.51.100.7'] }] }),
      );
      expect(result).toMatchObject({ widens: true, narrows: false });
      expect(result.entries).toEqual([
        {
          kind: 'added',
          id: 'new',
          effect: 'widens',
          fields: [
            expect.objectContaining({ field: 'reason', after: '"r"' }),
            expect.objectContaining({ field: 'sourceIps', after: '["198.51.100.7"]' }),
          ],
        },
      ]);
    });

    it('reports a removed entry as narrowing only', () => {
      const result = compare(doc(withEntry({})), doc({ version: 1, allow: [] }));
      expect(result).toMatchObject({ widens: false, narrows: true });
      expect(result.entries).toEqual([
        expect.objectContaining({ kind: 'removed', id: 'billing', effect: 'narrows' }),
      ]);
    });

    it('reports a renamed entry as one removed and one added, which widens', () => {
      const result = compare(doc(withEntry({})), doc(withEntry({ id: 'renamed' })));
      expect(result.entries.map(({ kind, id }) => `${kind} ${id}`)).toEqual([
        'added renamed',
        'removed billing',
      ]);
      expect(result.widens).toBe(true);
    });

    it('reports nothing for the same document written differently', () => {
      const spaced = JSON.stringify(withEntry({}), null, 4);
      const result = compare(doc(withEntry({})), doc(spaced));
      expect(result).toMatchObject({ entries: [], settings: [], widens: false, narrows: false });
    });

    it('calls a reworded reason neutral', () => {
      expect(fieldChangeOf({ reason: 'Quarterly billing, ticket SEC-43' })).toEqual([
        expect.objectContaining({ field: 'reason', effect: 'neutral' }),
      ]);
    });
  });

  describe('list fields (a missing list matches any value)', () => {
    it.each([
      ['eventNames', ['GetBillingData', 'PutBillingData']],
      ['eventSources', ['billing.amazonaws.com', 'iam.amazonaws.com']],
      ['accounts', ['111122223333', '444455556666']],
      ['regions', ['us-east-1', 'eu-west-1']],
    ])('%s: a value added widens', (field, values) => {
      expect(fieldChangeOf({ [field]: values })).toEqual([
        expect.objectContaining({
          field,
          effect: 'widens',
          why: `adds ${JSON.stringify(values[1])}`,
        }),
      ]);
    });

    it('a value removed narrows', () => {
      const result = compare(
        doc(withEntry({ eventNames: ['GetBillingData', 'PutBillingData'] })),
        doc(withEntry({})),
      );
      expect(result.entries[0]?.fields).toEqual([
        expect.objectContaining({ field: 'eventNames', effect: 'narrows' }),
      ]);
      expect(result).toMatchObject({ widens: false, narrows: true });
    });

    it('a value swapped for another widens: it admits something new', () => {
      expect(fieldChangeOf({ eventNames: ['PutBillingData'] })).toEqual([
        expect.objectContaining({
          effect: 'widens',
          why: 'adds "PutBillingData"; drops "GetBillingData"',
        }),
      ]);
    });

    it('a list removed widens the entry to any value', () => {
      const result = compare(doc(withEntry({})), doc(without('regions')));
      expect(result.entries[0]?.fields).toEqual([
        expect.objectContaining({
          field: 'regions',
          before: '["us-east-1"]',
          after: undefined,
          effect: 'widens',
        }),
      ]);
    });

    it('a list added narrows the entry', () => {
      const result = compare(doc(without('accounts')), doc(withEntry({})));
      expect(result.entries[0]?.fields).toEqual([
        expect.objectContaining({ field: 'accounts', effect: 'narrows' }),
      ]);
    });

    it('the same values in another order change nothing', () => {
      const result = compare(
        doc(withEntry({ regions: ['us-east-1', 'eu-west-1'] })),
        doc(withEntry({ regions: ['eu-west-1', 'us-east-1'] })),
      );
      expect(result.entries[0]?.fields).toEqual([
        expect.objectContaining({ field: 'regions', effect: 'neutral' }),
      ]);
      expect(result).toMatchObject({ widens: false, narrows: false });
    });
  });

  describe('the callers and root-task policies of sts:AssumeRoot', () => {
    const session = {
      id: 'bucket-unlock',
      reason: 'Security team unlocks bucket policies, runbook SEC-7',
      eventNames: ['AssumeRoot'],
      principalArns: ['arn:aws:iam::111122223333:role/RootTaskOperator'],
      taskPolicyArns: ['arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy'],
    };

    it.each([
      ['principalArns', 'arn:aws:iam::111122223333:role/Other'],
      ['taskPolicyArns', 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials'],
    ])('%s: a value added widens', (field, value) => {
      const result = compare(
        doc({ version: 1, allow: [session] }),
        doc({
          version: 1,
          allow: [
            {
              ...session,
              [field]: [...(session[field as keyof typeof session] as string[]), value],
            },
          ],
        }),
      );
      expect(result.entries[0]?.fields).toEqual([
        expect.objectContaining({ field, effect: 'widens' }),
      ]);
    });
  });

  describe("the opener and task policy of a root session, for the session's calls", () => {
    const calls = {
      id: 'bucket-unlock-calls',
      reason: 'The calls of the bucket-unlock sessions, runbook SEC-7',
      sessionPrincipalArns: ['arn:aws:iam::111122223333:role/RootTaskOperator'],
      sessionTaskPolicyArns: ['arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy'],
    };

    it.each([
      ['sessionPrincipalArns', 'arn:aws:iam::111122223333:role/Other'],
      ['sessionTaskPolicyArns', 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials'],
    ])('%s: a value added widens, one dropped narrows', (field, value) => {
      const before = calls[field as keyof typeof calls] as string[];
      const widened = compare(
        doc({ version: 1, allow: [calls] }),
        doc({ version: 1, allow: [{ ...calls, [field]: [...before, value] }] }),
      );
      expect(widened.entries[0]?.fields).toEqual([
        expect.objectContaining({ field, effect: 'widens' }),
      ]);
      expect(widened.widens).toBe(true);
      const narrowed = compare(
        doc({ version: 1, allow: [{ ...calls, [field]: [...before, value] }] }),
        doc({ version: 1, allow: [calls] }),
      );
      expect(narrowed).toMatchObject({ widens: false, narrows: true });
    });

    it('removing one widens the entry to any value of it: every task policy', () => {
      const { sessionTaskPolicyArns, ...anyPolicy } = calls;
      const result = compare(
        doc({ version: 1, allow: [calls] }),
        doc({ version: 1, allow: [anyPolicy] }),
      );
      expect(result.entries[0]?.fields).toEqual([
        expect.objectContaining({ field: 'sessionTaskPolicyArns', effect: 'widens' }),
      ]);
    });
  });

  describe('sourceIps, compared as ranges', () => {
    it('a wider range widens', () => {
      expect(fieldChangeOf({ sourceIps: ['203.0.0.0/16'] })).toEqual([
        expect.objectContaining({
          field: 'sourceIps',
          effect: 'widens',
          before: '["203.0.113.0/24"]',
          after: '["203.0.0.0/16"]',
          why: 'adds "203.0.0.0/16"',
        }),
      ]);
    });

    it('a narrower range inside the old one narrows', () => {
      expect(fieldChangeOf({ sourceIps: ['203.0.113.0/28'] })).toEqual([
        expect.objectContaining({ effect: 'narrows', why: 'drops "203.0.113.0/24"' }),
      ]);
    });

    it('an address inside the old range, added beside it, changes nothing it admits', () => {
      expect(fieldChangeOf({ sourceIps: ['203.0.113.0/24', '203.0.113.7'] })).toEqual([
        expect.objectContaining({ effect: 'neutral' }),
      ]);
    });

    it('an IPv4-mapped IPv6 range is the IPv4 range it maps', () => {
      expect(fieldChangeOf({ sourceIps: ['::ffff:203.0.113.0/120'] })).toEqual([
        expect.objectContaining({ effect: 'neutral' }),
      ]);
    });

    it('an IPv6 range is never covered by an IPv4 one', () => {
      expect(fieldChangeOf({ sourceIps: ['203.0.113.0/24', '2001:db8::/32'] })).toEqual([
        expect.objectContaining({ effect: 'widens', why: 'adds "2001:db8::/32"' }),
      ]);
    });
  });

  describe('windows, compared day by day', () => {
    const window = entry.windows[0];

    it('a new window widens', () => {
      expect(
        fieldChangeOf({
          windows: [window, { days: ['Sun'], start: '01:00', end: '02:00', timezone: 'UTC' }],
        }),
      ).toEqual([expect.objectContaining({ field: 'windows', effect: 'widens' })]);
    });

    it('a day added widens, a day removed narrows', () => {
      expect(fieldChangeOf({ windows: [{ ...window, days: ['Sat', 'Sun'] }] })).toEqual([
        expect.objectContaining({ effect: 'widens', why: 'adds "Sun 22:00-02:00 Europe/Berlin"' }),
      ]);
      const result = compare(
        doc(withEntry({ windows: [{ ...window, days: ['Sat', 'Sun'] }] })),
        doc(withEntry({})),
      );
      expect(result.narrows && !result.widens).toBe(true);
    });

    it('a longer window widens; a shorter one inside it narrows', () => {
      expect(fieldChangeOf({ windows: [{ ...window, end: '03:00' }] })).toEqual([
        expect.objectContaining({ effect: 'widens' }),
      ]);
      expect(fieldChangeOf({ windows: [{ ...window, start: '23:00' }] })).toEqual([
        expect.objectContaining({ effect: 'narrows' }),
      ]);
    });

    it('the same hours in another time zone widen: they admit other instants', () => {
      expect(fieldChangeOf({ windows: [{ ...window, timezone: 'UTC' }] })).toEqual([
        expect.objectContaining({ effect: 'widens' }),
      ]);
    });

    it('windows removed widen the entry to any time', () => {
      const result = compare(doc(withEntry({})), doc(without('windows')));
      expect(result.entries[0]?.fields).toEqual([
        expect.objectContaining({ field: 'windows', effect: 'widens' }),
      ]);
    });
  });

  describe('notBefore and expires', () => {
    it.each([
      [{ expires: '2027-06-30T00:00:00Z' }, 'widens', 'expires later'],
      [{ expires: '2026-06-30T00:00:00Z' }, 'narrows', 'expires earlier'],
      [{ notBefore: '2025-01-01T00:00:00Z' }, 'widens', 'starts earlier'],
      [{ notBefore: '2026-06-01T00:00:00Z' }, 'narrows', 'starts later'],
      [
        { expires: '2027-01-01T00:59:59+01:00' },
        'neutral',
        'the same instant, written differently',
      ],
    ])('%o %s', (changes, effect, why) => {
      expect(fieldChangeOf(changes)).toEqual([expect.objectContaining({ effect, why })]);
    });

    it('a removed expiry widens; an added one narrows', () => {
      const removed = compare(doc(withEntry({})), doc(without('expires')));
      expect(removed.entries[0]?.fields).toEqual([
        expect.objectContaining({ field: 'expires', effect: 'widens', why: 'no longer expires' }),
      ]);
      const added = compare(doc(without('expires')), doc(withEntry({})));
      expect(added.entries[0]?.fields).toEqual([
        expect.objectContaining({ field: 'expires', effect: 'narrows' }),
      ]);
    });
  });

  describe('assumedRoot', () => {
    it('flipped widens: it admits sessions it did not', () => {
      expect(fieldChangeOf({ assumedRoot: true })).toEqual([
        expect.objectContaining({ field: 'assumedRoot', effect: 'widens' }),
      ]);
    });

    it('removed widens, added narrows', () => {
      expect(compare(doc(withEntry({})), doc(without('assumedRoot'))).widens).toBe(true);
      const added = compare(doc(without('assumedRoot')), doc(withEntry({})));
      expect(added).toMatchObject({ widens: false, narrows: true });
    });
  });

  describe('settings', () => {
    it('a raised dedupMinutes widens, reported once even though every rule inherits it', () => {
      const result = compare(doc({ version: 1 }), doc({ version: 1, dedupMinutes: 60 }));
      expect(result.settings).toEqual([
        expect.objectContaining({
          field: 'dedupMinutes',
          before: '15',
          after: '60',
          effect: 'widens',
        }),
      ]);
    });

    it('a lowered dedupMinutes narrows', () => {
      const result = compare(doc({ version: 1 }), doc({ version: 1, dedupMinutes: 5 }));
      expect(result).toMatchObject({ widens: false, narrows: true });
    });

    it("a rule's own dedupMinutes raised widens", () => {
      const result = compare(
        doc({ version: 1 }),
        doc({ version: 1, rules: { 'root-activity': { dedupMinutes: 120 } } }),
      );
      expect(result.settings).toEqual([
        expect.objectContaining({ field: 'rules["root-activity"].dedupMinutes', effect: 'widens' }),
      ]);
    });

    it('a rule disabled widens; enabled again narrows', () => {
      const disabled = { version: 1, rules: { 'root-console-login': { enabled: false } } };
      expect(compare(doc({ version: 1 }), doc(disabled)).settings).toEqual([
        expect.objectContaining({ field: 'rules["root-console-login"].enabled', effect: 'widens' }),
      ]);
      expect(compare(doc(disabled), doc({ version: 1 }))).toMatchObject({
        widens: false,
        narrows: true,
      });
    });

    it('a severity lowered widens, raised narrows', () => {
      const low = { version: 1, rules: { 'root-activity': { severity: 'LOW' } } };
      expect(compare(doc({ version: 1 }), doc(low)).settings).toEqual([
        expect.objectContaining({
          field: 'rules["root-activity"].severity',
          before: '"HIGH"',
          after: '"LOW"',
          effect: 'widens',
        }),
      ]);
      const critical = { version: 1, rules: { 'root-activity': { severity: 'CRITICAL' } } };
      expect(compare(doc({ version: 1 }), doc(critical))).toMatchObject({
        widens: false,
        narrows: true,
      });
    });
  });

  describe('documents that are absent or invalid', () => {
    it('a document that no longer validates is compared as allowing nothing, with its problems', () => {
      const result = compare(doc(withEntry({})), doc({ version: 1, allow: [{ id: 'x' }] }));
      expect(result.after).toEqual({
        kind: 'invalid',
        problems: expect.arrayContaining([expect.stringContaining('allow[0]')]),
      });
      expect(result.entries).toEqual([expect.objectContaining({ kind: 'removed', id: 'billing' })]);
      expect(result).toMatchObject({ widens: false, narrows: true });
    });

    it('an invalid document that becomes valid widens by everything it allows', () => {
      const result = compare(doc('{"version": 1,'), doc(withEntry({})));
      expect(result.before).toMatchObject({ kind: 'invalid' });
      expect(result.entries).toEqual([expect.objectContaining({ kind: 'added', id: 'billing' })]);
      expect(result.widens).toBe(true);
    });

    it('a first version is compared with nothing', () => {
      const result = compare(undefined, doc(withEntry({})));
      expect(result.before).toEqual({ kind: 'absent' });
      expect(result.widens).toBe(true);
    });

    it('a deleted document takes every entry away, and rule settings back to the catalog', () => {
      const before = { ...withEntry({}), rules: { 'root-activity': { severity: 'CRITICAL' } } };
      const result = compare(doc(before), undefined);
      expect(result.after).toEqual({ kind: 'absent' });
      expect(result.entries).toEqual([expect.objectContaining({ kind: 'removed' })]);
      // CRITICAL back to the catalog's HIGH: fewer pages, so the deletion widens too.
      expect(result.settings).toEqual([
        expect.objectContaining({ field: 'rules["root-activity"].severity', effect: 'widens' }),
      ]);
      expect(result.widens).toBe(true);
    });
  });
});
